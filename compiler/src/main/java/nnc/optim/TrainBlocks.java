package nnc.optim;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import nnc.runtime.train.EarlyStopping;
import nnc.runtime.train.TrainBlock;

/** The runtime's {@link TrainBlock} of a train configuration: what a generated trainer carries. */
public final class TrainBlocks {
    private TrainBlocks() {}

    public static TrainBlock of(TrainConfig cfg) {
        Map<String, Double> optimizerOptions = new HashMap<>(OptimizerCatalog.named(cfg.optimizer()).defaults());
        optimizerOptions.putAll(cfg.optimizerOptions());
        TrainConfig.Clipping c = cfg.clipping();
        TrainConfig.EarlyStopping es = cfg.earlyStopping();
        return new TrainBlock(cfg.optimizer(), optimizerOptions, OptimizerCatalog.named(cfg.optimizer()).fullBatch(),
                c == null ? null : c.kind().name().toLowerCase(Locale.ROOT) + " " + c.limit(),
                cfg.epochs(), cfg.batch(), cfg.seed(), cfg.shuffle(), cfg.schedule().name(), cfg.schedule().options(),
                es == null ? null : new EarlyStopping(es.patience(), es.monitor(), es.minDelta()), cfg.data(), cfg.validate());
    }
}

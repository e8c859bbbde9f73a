package nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The side-by-side benchmark's models in {@code benchmarks/models/} compile, and each trains as
 * many values as its PyTorch twin in {@code benchmarks/pytorch/train_step_bench.py} (the counts
 * below are PyTorch's, worked out by hand from its layers).
 */
class BenchModelsTest {
    @ParameterizedTest
    @CsvSource({
            // 784·512+512 + 512·512+512 + 512·10+10
            "mlp512_sgd, 669706",
            // conv 1·6·25+6, conv 6·16·25+16, linear 400·120+120, 120·84+84, 84·10+10
            "lenet_momentum, 61706",
            // embedding 64·32, LSTM 4·64·(32+64) + 4·64 (b_ih; b_hh frozen), linear 64·2+2
            "lstm_t32, 27010",
            // attention in_proj 3·64·64+3·64 and out_proj 64·64+64, linear1 64·256+256, linear2 256·64+64, two norms 2·2·64
            "encoder, 49984"})
    void parameterCountIsPyTorchs(String name, long pytorch) {
        Compilation c = Compilation.of(benchmarkModel(name));
        assertEquals(pytorch, BenchBatches.parameterCount(c.compiled(Backend.INTERP, 2)));
    }

    static Path benchmarkModel(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.exists(p.resolve("benchmarks/models"))) return p.resolve("benchmarks/models/" + name + ".nn");
        throw new IllegalStateException("benchmarks/models/ not found");
    }
}

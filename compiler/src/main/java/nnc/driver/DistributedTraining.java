package nnc.driver;

import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import nnc.runtime.CompiledModel;
import nnc.runtime.Numerics;

/**
 * Training on more than one machine, provided by a module the compiler does not depend on (nnc-spark
 * provides {@code spark}), found with {@link ServiceLoader} when it is on the class path. A session's
 * {@link Session#model()} is a {@link CompiledModel} whose train step is distributed: the
 * one-machine training loop drives it unchanged.
 */
public interface DistributedTraining {
    /** The engine's name, as in its command-line option: {@code spark}. */
    String name();

    /**
     * Starts training {@code compilation} (its train block already applied) on {@code master}, each
     * global batch split into {@code partitions} shares, the steps synchronised as {@code sync} says.
     *
     * @throws UserError when the master cannot be reached or the back end cannot be shipped
     */
    Session open(Compilation compilation, Backend backend, int maxBatch, boolean simd, Numerics.Mode numerics,
                 String master, int partitions, Sync sync);

    /** How the partitions of a step meet: both sum the same contributions in the same order, so both give the same bits. */
    enum Sync {
        /** One Spark job per step (the default). */
        JOB,
        /** One long-running barrier stage for the whole run, a socket per task to the driver. */
        BARRIER;

        /** The option's text: {@code job} or {@code barrier}. */
        public String text() { return name().toLowerCase(Locale.ROOT); }

        /** The value named {@code text}, if any. */
        public static Optional<Sync> named(String text) {
            for (Sync s : values()) if (s.text().equals(text)) return Optional.of(s);
            return Optional.empty();
        }
    }

    /** One distributed run. */
    interface Session extends AutoCloseable {
        /** The driver's model: parameters, optimiser state, evaluate and predict are local; a train step is distributed. */
        CompiledModel model();

        /** One line for the run's header: where it trains. */
        String describe();

        /** One line: where the time of the steps went (compute, exchange, scheduling). */
        String timing();

        /** Stops what the session started. */
        @Override void close();
    }

    /** The engine named {@code name} on the class path, if any. */
    static Optional<DistributedTraining> find(String name) {
        for (DistributedTraining t : ServiceLoader.load(DistributedTraining.class)) if (t.name().equals(name)) return Optional.of(t);
        return Optional.empty();
    }
}

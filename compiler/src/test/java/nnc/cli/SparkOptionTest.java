package nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnc train --spark} without nnc-spark on the class path (the compiler's own tests never have it). */
class SparkOptionTest {
    @TempDir Path tmp;

    @Test void withoutNncSparkItSaysWhatToBuildAndExits1() throws Exception {
        Run.Result r = Run.nnc("train", Run.small(tmp, 1), "--spark", "local[2]");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("--spark needs nnc-spark and Apache Spark on the class path"), r.toString());
        assertTrue(r.err().strip().lines().count() == 1 && !r.err().contains("Exception"), r.toString());
    }

    @Test void partitionsNeedSpark() throws Exception {
        Run.Result r = Run.nnc("train", Run.small(tmp, 1), "--partitions", "2");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--partitions needs --spark MASTER"), r.toString());
    }

    @Test void syncNeedsSpark() throws Exception {
        Run.Result r = Run.nnc("train", Run.small(tmp, 1), "--sync", "barrier");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--sync needs --spark MASTER"), r.toString());
    }

    @Test void anUnknownSyncNamesTheAllowedOnes() throws Exception {
        Run.Result r = Run.nnc("train", Run.small(tmp, 1), "--spark", "local[2]", "--sync", "async");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--sync must be job or barrier, got 'async'"), r.toString());
    }

    @Test void theInterpreterCannotBeShipped() throws Exception {
        Run.Result r = Run.nnc("train", Run.small(tmp, 1), "--spark", "local[2]", "--backend", "interp");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("use --backend java or bytecode"), r.toString());
    }

    @Test void badPartitionsAreAUsageError() throws Exception {
        assertEquals(2, Run.nnc("train", Run.small(tmp, 1), "--spark", "local[2]", "--partitions", "0").code());
    }
}

package nnc.spark;

import static nnc.spark.SparkTrainCommandTest.nnc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import nnc.spark.SparkTrainCommandTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnc train --spark local[2] --sync barrier} in-process: the bits of {@code nnc train} (P = 1) and of {@code --sync job} (P = 2). */
class BarrierTrainCommandTest {
    @TempDir Path tmp;

    Path model() throws Exception {
        Path f = tmp.resolve("xor.nn");
        Files.writeString(f, """
                model Xor {
                  input  x: f32[batch, 2]
                  target y: f32[batch, 1]
                  h      = tanh(dense(x, 8))
                  logits = dense(h, 1)
                  output p = sigmoid(logits)
                  loss   bce_with_logits(logits, y)
                  metric accuracy(p, y)
                }
                train {
                  data xor(n = 300)
                  optimizer adam(lr = 0.05)
                  batch 32
                  epochs 3
                  seed 5
                }
                """);
        return f;
    }

    byte[] saved(String name) throws Exception { return Files.readAllBytes(tmp.resolve(name + ".safetensors")); }

    @Test void onePartitionSavesWhatOneJvmSaves() throws Exception {
        Path f = model();
        Result one = nnc("train", f, "--save", tmp.resolve("one.safetensors"));
        Result barrier = nnc("train", f, "--spark", "local[2]", "--partitions", "1", "--sync", "barrier", "--save", tmp.resolve("barrier.safetensors"));
        assertEquals(0, one.code(), one.toString());
        assertEquals(0, barrier.code(), barrier.toString());
        assertTrue(barrier.out().contains("1 partitions per batch, 2 executor slots, one barrier stage for the run"), barrier.out());
        assertTrue(barrier.out().contains("spark barrier: 30 steps: compute"), barrier.out());
        assertArrayEquals(saved("one"), saved("barrier"));
    }

    @Test void twoPartitionsSaveWhatTheJobPerStepSaves() throws Exception {
        Path f = model();
        Result job = nnc("train", f, "--spark", "local[2]", "--partitions", "2", "--save", tmp.resolve("job.safetensors"));
        Result barrier = nnc("train", f, "--spark", "local[2]", "--partitions", "2", "--sync", "barrier", "--save", tmp.resolve("barrier.safetensors"));
        assertEquals(0, job.code(), job.toString());
        assertEquals(0, barrier.code(), barrier.toString());
        assertArrayEquals(saved("job"), saved("barrier"));
    }

    @Test void morePartitionsThanSlotsIsAUserErrorNamingBoth() throws Exception {
        Result r = nnc("train", model(), "--spark", "local[2]", "--partitions", "3", "--sync", "barrier");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("--sync barrier runs its 3 partitions as 3 tasks at once, but the cluster has 2 task slots"), r.toString());
        assertTrue(!r.err().contains("Exception"), r.toString());
    }
}

package nnc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import nnc.driver.Backend;
import nnc.ir.GraphParser;
import nnc.ir.IrModule;
import nnc.runtime.CompiledModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An iota is recomputed in the loops that read it, and stored once per step for readers that need
 * memory (a matmul operand, a transpose): values checked against indices worked out here.
 */
class IotaScheduleTest {
    static final String TEXT = """
            graph train {
              %0 = input x : f32[batch,3]
              %1 = iota[axis=1] : f32[3,4]
              %2 = matmul %0, %1 : f32[batch,4]
              %3 = iota[axis=0] : f32[batch,4]
              %4 = add %2, %3 : f32[batch,4]
              %5 = iota[axis=0] : f32[4,3]
              %6 = transpose[perm=1,0] %5 : f32[3,4]
              %7 = iota[axis=1] : f32[1,4]
              %8 = mul %6, %7 : f32[3,4]
              %9 = reduce_sum[axes=0,1] %4 : f32[]
              output loss = %9
              output y = %4
              output t = %8
            }
            """;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void storedAndRecomputedIndicesHaveTheirValues(Backend backend) {
        IrModule module = GraphParser.parse("Iota", TEXT);
        int batch = 5;
        CompiledModel m = backend.create(module, batch);
        float[] x = m.floats("x");
        for (int k = 0; k < batch * 3; k++) x[k] = 0.25f * (k + 1);
        m.trainStep(batch);
        float[] y = m.floats("y"), t = m.floats("t");
        for (int r = 0; r < batch; r++)
            for (int c = 0; c < 4; c++) {
                float sum = 0; // x · iota: column c of the [3,4] index matrix is c in every row
                for (int k = 0; k < 3; k++) sum += x[r * 3 + k] * c;
                assertEquals(sum + r, y[r * 4 + c], backend + " y[" + r + "," + c + "]");
            }
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++) assertEquals((float) (c * c), t[r * 4 + c], backend + " t[" + r + "," + c + "]");
    }
}

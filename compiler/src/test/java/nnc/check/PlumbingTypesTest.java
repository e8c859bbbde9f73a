package nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import nnc.diag.SourceFile;
import nnc.driver.Compilation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The result types of indexing and of the plumbing builtins, as PyTorch gives the shapes. */
class PlumbingTypesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "x[:, 0]                          | f32[batch,5,6]",
            "x[..., -1]                       | f32[batch,4,5]",
            "x[:, 1:3, ::2, 4:]               | f32[batch,2,3,2]",
            "x[:, -3:-1][:, 0, 1]             | f32[batch,6]",
            "chunk(x, 2, axis = 1)[1]         | f32[batch,2,5,6]",
            "chunk(x, 2, axis = 1)            | f32[2,batch,2,5,6]",
            "split(x, 3, axis = -1)[1, :, 0]  | f32[batch,5,3]",
            "stack(x, x, x, axis = -1)        | f32[batch,4,5,6,3]",
            "concat(x, x[:, 0:1], axis = 1)   | f32[batch,5,5,6]",
            "permute(x, 0, 3, 1, 2)           | f32[batch,6,4,5]",
            "transpose(x, 1, -1)              | f32[batch,6,5,4]",
            "squeeze(unsqueeze(x, 2))         | f32[batch,4,5,6]",
            "expand(x[:, 0:1], -1, 3, -1, -1) | f32[batch,3,5,6]",
            "repeat(x, 1, 2, 1, 3)            | f32[batch,8,5,18]",
            "pad(x, 1, 2, 0, 0, 3, 0)         | f32[batch,7,5,9]",
            "reshape(x, -1, 6)                | f32[20*batch,6]",
            "reshape(x, batch, 2, -1, 6)      | f32[batch,2,10,6]",
    })
    void typeOf(String expression, String type) {
        String src = "model M {\n  input x: f32[batch, 4, 5, 6]\n  output p = " + expression + "\n  loss sum(p)\n}\n";
        CheckedModel m = Compilation.of(new SourceFile("m.nn", src)).model();
        assertEquals(type, m.outputs().get(0).type().toString());
    }
}

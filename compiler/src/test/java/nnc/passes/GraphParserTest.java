package nnc.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nnc.ir.GraphParser;
import nnc.ir.GraphPrinter;
import nnc.ir.IrModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The parser is the printer's inverse: every sample's optimised module prints the same after a round trip. */
class GraphParserTest {
    static List<String> samples() { return SampleModules.names(); }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsEverySample(String sample) {
        IrModule m = SampleModules.stages(sample).optimized();
        String text = GraphPrinter.print(m);
        assertEquals(text, GraphPrinter.print(GraphParser.parse(m.name(), text)), sample);
    }

    @Test
    void readsAttributesAndSpecialConstants() {
        String text = """
                graph train {
                  %0 = input x : f32[batch,3]
                  %1 = const NaN : f32[]
                  %2 = const -0.0 : f32[]
                  %3 = reshape[to=[1,1]] %2 : f32[1,1]
                  %4 = broadcast[to=[batch,3]] %3 : f32[batch,3]
                  %5 = max %0, %4 : f32[batch,3]
                  %6 = reduce_sum[axes=1,keep] %5 : f32[batch,1]
                  %7 = matmul[ta] %0, %0 : f32[3,3]
                  %8 = reduce_max[axes=0,1] %7 : f32[]
                  %9 = add %8, %1 : f32[]
                  output loss = %9
                  output s = %6
                }
                """;
        IrModule m = GraphParser.parse("T", text);
        String printed = GraphPrinter.print(m);
        assertTrue(printed.contains("%1 = const NaN : f32[]"), printed);
        assertTrue(printed.contains("%2 = const -0.0 : f32[]"), printed);
        assertTrue(printed.contains("%7 = matmul[ta] %0, %0 : f32[3,3]"), printed);
        assertTrue(printed.contains("%6 = reduce_sum[axes=1,keep] %5 : f32[batch,1]"), printed);
    }

    @Test
    void readsSlicesAndPadsBackAsPrinted() {
        String text = """
                graph train {
                  %0 = input x : f32[batch,4,6]
                  %1 = slice[:,-0:4:1,1:6:2] %0 : f32[batch,4,3]
                  %2 = slice[:,2,:] %0 : f32[batch,6]
                  %3 = pad[0:0,1:2] %2 : f32[batch,9]
                  %4 = reduce_sum[axes=0,1,2] %1 : f32[]
                  %5 = reduce_sum[axes=0,1] %3 : f32[]
                  %6 = add %4, %5 : f32[]
                  output loss = %6
                }
                """;
        String printed = GraphPrinter.print(GraphParser.parse("T", text));
        assertTrue(printed.contains("%1 = slice[:,0:4:1,1:6:2] %0 : f32[batch,4,3]"), printed);
        assertTrue(printed.contains("%2 = slice[:,2,:] %0 : f32[batch,6]"), printed);
        assertTrue(printed.contains("%3 = pad[0:0,1:2] %2 : f32[batch,9]"), printed);
        assertEquals(printed, GraphPrinter.print(GraphParser.parse("T", printed)), "printing what was read back changes nothing");
        var e = assertThrows(GraphParser.ParseException.class,
                () -> GraphParser.parse("T", "graph train {\n  %0 = input x : f32[4]\n  %1 = slice[1:9:1] %0 : f32[8]\n  output loss = %1\n}\n"));
        assertTrue(e.getMessage().startsWith("line 3: "), e.getMessage());
    }

    @Test
    void reportsTheLineOfAWrongType() {
        String text = "graph train {\n  %0 = input x : f32[2]\n  %1 = exp %0 : f32[3]\n  output loss = %1\n}\n";
        var e = assertThrows(GraphParser.ParseException.class, () -> GraphParser.parse("T", text));
        assertTrue(e.getMessage().startsWith("line 3: declared f32[3] but the op gives f32[2]"), e.getMessage());
    }

    @Test
    void reportsAnUndefinedOperand() {
        String text = "graph train {\n  %0 = input x : f32[2]\n  %2 = exp %1 : f32[2]\n  output loss = %2\n}\n";
        var e = assertThrows(GraphParser.ParseException.class, () -> GraphParser.parse("T", text));
        assertTrue(e.getMessage().startsWith("line 3: %1 is used before it is defined"), e.getMessage());
    }
}

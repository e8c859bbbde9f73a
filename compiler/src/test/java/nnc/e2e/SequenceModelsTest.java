package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import nnc.check.CheckedModel;
import nnc.check.Checker;
import nnc.diag.SourceFile;
import nnc.ir.IrModule;
import nnc.syntax.Parser;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.Size;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sequence models end to end: {@code time} bound from the train data or {@code --time}, and the
 * sequence samples training to their stated figures through the CLI on both generated back ends
 * (bitwise alike).
 */
class SequenceModelsTest {
    static final String MODEL = """
            model M {
              input  tokens: i32[batch, time]
              target next:   i32[batch, time]
              param  pos: f32[time, 4] = zeros
              e = embedding(tokens, vocab = 9, dim = 4) + pos
              output logits = dense(e, 9)
              loss   cross_entropy(logits, next)
            }
            """;

    private static Checker.CheckResult check(String text, Long time) {
        return Checker.check(Parser.parse(new SourceFile("t.nn", text)), time);
    }

    private static String inputType(Checker.CheckResult r) {
        assertEquals(List.of(), r.diagnostics().stream().filter(d -> d.isError()).toList());
        CheckedModel m = r.models().get(0);
        return m.inputs().get(0).type() + " " + m.params().stream().filter(p -> p.name().equals("pos")).findFirst().orElseThrow().type()
                + " " + m.outputs().get(0).type();
    }

    /** The flattened rows of a [batch, time, d] GEMM: a scaled batch, evaluated with the step's batch. */
    @Test
    void flattenedDimensions() {
        Dim rows = Dim.times(Dim.BATCH, Dim.of(16));
        assertEquals(new Dim.Scaled(16, "batch"), rows);
        assertEquals("16*batch", rows.toString());
        assertEquals(80, rows.value(5));
        assertEquals(new Size(16, List.of("batch")), rows.asSize());
        assertEquals(Dim.BATCH, Dim.times(Dim.ONE, Dim.BATCH));
        assertEquals(Dim.of(6), Dim.times(Dim.of(2), Dim.of(3)));
        Assertions.assertThrows(IllegalArgumentException.class,
                () -> Dim.times(Dim.BATCH, Dim.BATCH));
        assertEquals(List.of(-1, 16, 32), Arrays.stream(IrModule.runtimeDims(
                Shape.of(rows, Dim.of(32)))).boxed().toList(), "a buffer of 16*batch rows holds batch·16·32 floats");
    }

    @Test
    void timeIsTheTrainDataSequenceLength() {
        String text = MODEL + "train { data sequence(n = 10, length = 7, vocab = 9) }\n";
        assertEquals("i32[batch,7] f32[7,4] f32[batch,7,9]", inputType(check(text, null)));
        assertEquals("i32[batch,3] f32[3,4] f32[batch,3,9]", inputType(check(text, 3L)), "--time wins");
        assertEquals("i32[batch,16] f32[16,4] f32[batch,16,9]", inputType(check(MODEL + "train { data sequence(n = 10) }\n", null)),
                "the default sequence length");
    }

    @Test
    void anUnboundTimeIsAnErrorWithAHint() {
        var r = check(MODEL, null);
        assertTrue(r.hasErrors());
        var d = r.diagnostics().get(0);
        assertEquals("the length of the sequence dimension 'time' is unknown", d.message());
        assertEquals(2, d.span().line());
        assertTrue(d.hint().contains("--time N"), d.hint());
        assertEquals("i32[batch,5] f32[5,4] f32[batch,5,9]", inputType(check(MODEL, 5L)));
    }

    @Test
    void cliTimeFlag() {
        var r = CliTest.nnc("check", Samples.file("bigram").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("i32[batch,16]"), r.out());
        var bad = CliTest.nnc("train", Samples.file("bigram").toString(), "--time", "0");
        assertEquals(2, bad.code(), "a usage error");
        assertTrue(bad.err().contains("--time must be at least 1"), bad.err());
    }

    /** The bigram sample reaches the task's entropy floor (about 1.26 nats on fresh data: 80% favourite successor, else uniform over 50). */
    @Test
    void bigramLearnsTheChain() {
        String first = null;
        for (String backend : List.of("java", "bytecode")) {
            var r = CliTest.nnc("train", Samples.file("bigram").toString(), "--backend", backend, "--json");
            assertEquals(0, r.code(), r.err());
            String json = TrainingTest.lastLine(r.out());
            assertTrue(TrainingTest.field(json, "final_loss") < 1.30, backend + ": " + json);
            // per-token accuracy at the Bayes rate: the favourite successor, 0.8 + 0.2/50 = 0.804
            double acc = TrainingTest.field(json, "train_accuracy");
            assertTrue(acc > 0.78 && acc < 0.83, backend + ": " + json);
            String loss = json.replaceAll(".*\"final_loss\":([-0-9.eE]+).*", "$1");
            if (first == null) first = loss;
            else assertEquals(first, loss, "java and bytecode train bitwise alike");
        }
    }

    /** DSL.md §9's hand-written RNN (a scan, trained through the reverse loop) reaches the chain's Bayes rate in one epoch. */
    @Test
    void charRnnLearnsTheChain() {
        var r = CliTest.nnc("train", Samples.file("char_rnn").toString(), "--epochs", "1", "--json");
        assertEquals(0, r.code(), r.err());
        double acc = TrainingTest.field(TrainingTest.lastLine(r.out()), "val_accuracy");
        assertTrue(acc > 0.75 && acc < 0.85, r.out()); // chance is 1/50
    }

    /** DSL.md §10's LSTM learns the many-to-one majority task (chance 0.5). */
    @Test
    void lstmLearnsTheMajority() {
        var r = CliTest.nnc("train", Samples.file("sentiment").toString(), "--epochs", "4", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(TrainingTest.field(TrainingTest.lastLine(r.out()), "val_accuracy") >= 0.9, r.out());
    }

    /** DSL.md §11's transformer (samples/tiny_transformer.nn) learns the chain too: one epoch reaches the Bayes rate, 0.8 + 0.2/64. */
    @Test
    void tinyTransformerLearnsTheChain() {
        var r = CliTest.nnc("train", Samples.file("tiny_transformer").toString(), "--epochs", "1", "--json");
        assertEquals(0, r.code(), r.err());
        String json = TrainingTest.lastLine(r.out());
        double acc = TrainingTest.field(json, "val_accuracy");
        assertTrue(acc > 0.75 && acc < 0.85, json); // chance is 1/64
    }

    /**
     * A token id beyond the embedding's vocabulary (data of 50 ids into a table of 10 rows) stops
     * training with an error naming it on every back end (exit 1), never reads another tensor's memory
     * and never embeds silently to zeros.
     */
    @Test
    void aTokenBeyondTheVocabularyIsAnError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("small.nn");
        Files.writeString(file, MODEL.replace("vocab = 9", "vocab = 10").replace("dense(e, 9)", "dense(e, 50)")
                + "train { data sequence(n = 64, length = 8, vocab = 50) batch 16 epochs 1 }\n");
        for (String backend : List.of("interp", "java", "bytecode")) {
            var r = CliTest.nnc("train", file.toString(), "--backend", backend);
            assertEquals(1, r.code(), backend + ": " + r.err());
            assertTrue(r.err().contains("is outside the 10 rows 0..9 of a gathered table"), backend + ": " + r.err());
        }
    }

    @Test
    void majorityIsLearnedManyToOne() {
        var r = CliTest.nnc("train", Samples.file("majority").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(TrainingTest.field(TrainingTest.lastLine(r.out()), "val_accuracy") >= 0.95, r.out());
    }
}

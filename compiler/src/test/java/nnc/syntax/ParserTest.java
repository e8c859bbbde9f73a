package nnc.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.diag.SourceFile;
import nnc.diag.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParserTest {
    static Ast.Program parse(String text) { return Parser.parse(new SourceFile("t.nn", text)); }

    static String expr(String text) {
        Ast.Program p = parse("model M { h = " + text + " }");
        return SExpr.of(((Ast.LetDecl) p.models().get(0).body().get(0)).value());
    }

    static Diagnostic error(String text) {
        CompileError e = assertThrows(CompileError.class, () -> parse(text));
        return e.diagnostics().get(0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-x^2              | (neg (^ x 2))",
            "a^b^c             | (^ a (^ b c))",
            "a - b - c         | (- (- a b) c)",
            "a + b * c         | (+ a (* b c))",
            "x @ w + b         | (+ (@ x w) b)",
            "a * b @ c / d     | (/ (@ (* a b) c) d)",
            "2 ^ -1            | (^ 2 (neg 1))",
            "-a * b            | (* (neg a) b)",
            "- -a              | (neg (neg a))",
            "(a + b) * c       | (* (+ a b) c)",
            "a + b > c * d     | (> (+ a b) (* c d))",
            "-x <= y ^ 2       | (<= (neg x) (^ y 2))",
            "a == b            | (== a b)",
            "where(x >= 0, x, 0.1 * x) | (where (>= x 0) x (* 0.1 x))",
            "1/255             | (/ 1 255)",
            "1e-3 + .5 + 2.    | (+ (+ 1e-3 .5) 2.)",
            "relu(x @ W1 + b1) | (relu (+ (@ x W1) b1))",
            "dense(h1.W, units = 3) | (dense h1.W units=3)",
            "sum((z - y) ^ 2)  | (sum (^ (- z y) 2))",
            "f()               | (f)",
            "-x[0]^2           | (neg (^ (index x 0) 2))",
            "x[:, 1:5, ::2]    | (index x :: 1:5: ::2)",
            "x[..., -1]        | (index x ... (neg 1))",
            "f(x)[1][a:]       | (index (index (f x) 1) a::)",
            "x[1:-1:k + 1]     | (index x 1:(neg 1):(+ k 1))",
    })
    void precedenceAndAssociativity(String source, String tree) {
        assertEquals(tree, expr(source));
    }

    @Test
    void statementsNeedNoNewlines() {
        Ast.Program p = parse("""
                model Logistic { input x: f32[batch, 4]  target y: f32[batch, 1]
                                 param w: f32[4, 1] = zeros  param b: f32[1] = zeros
                                 loss bce(sigmoid(x @ w + b), y) }
                model Softmax  { input x: f32[batch, 64]  target y: i32[batch]
                                 output probs = softmax(dense(x, 10))
                                 loss nll(log(probs), y) }
                """);
        assertEquals(List.of("Logistic", "Softmax"), p.models().stream().map(Ast.ModelDecl::name).toList());
        List<Ast.Stmt> body = p.models().get(0).body();
        assertEquals(5, body.size());
        Ast.InputDecl y = (Ast.InputDecl) body.get(1);
        assertTrue(y.target());
        assertEquals("f32", y.type().dtype());
        assertEquals(List.of(new Ast.DimExpr("batch", 0, new Span("t.nn", 1, 56, 1, 61)), new Ast.DimExpr(null, 1, new Span("t.nn", 1, 63, 1, 64))),
                y.type().dims());
        Ast.ParamDecl w = (Ast.ParamDecl) body.get(2);
        assertEquals("zeros", SExpr.of(w.init()));
        assertEquals("(bce (sigmoid (+ (@ x w) b)) y)", SExpr.of(((Ast.LossDecl) body.get(4)).value()));
        Ast.LetDecl probs = (Ast.LetDecl) p.models().get(1).body().get(2);
        assertTrue(probs.output());
        assertNull(p.train());
    }

    @Test
    void spansAreOneBasedAndEndExclusive() {
        Ast.Program p = parse("model M {\n  output p = sigmoid(x @ w)\n}\n");
        Ast.LetDecl let = (Ast.LetDecl) p.models().get(0).body().get(0);
        assertEquals(new Span("t.nn", 2, 3, 2, 28), let.span());
        assertEquals(new Span("t.nn", 2, 10, 2, 11), let.nameSpan());
        Ast.Call call = (Ast.Call) let.value();
        assertEquals(new Span("t.nn", 2, 14, 2, 28), call.span());
        assertEquals(new Span("t.nn", 2, 14, 2, 21), call.calleeSpan());
        Ast.BinaryExpr mm = (Ast.BinaryExpr) call.args().get(0).value();
        assertEquals(new Span("t.nn", 2, 22, 2, 27), mm.span());
        assertEquals(new Span("t.nn", 2, 24, 2, 25), mm.opSpan());
        assertEquals(new Span("t.nn", 1, 1, 3, 2), p.models().get(0).span());
        assertEquals(new Span("t.nn", 1, 7, 1, 8), p.models().get(0).nameSpan());
    }

    @Test
    void trainBlockSettings() {
        Ast.Program p = parse("""
                model M { input x: f32[batch, 1] }
                train {
                  data idx("a\\\\b.gz", "say \\"hi\\"", scale = 1/255)   /* block
                  comment */ optimizer adam(lr = 1e-3)  early_stopping(patience = 3, monitor = val_loss)
                  shuffle false
                }
                """);
        List<Ast.TrainSetting> s = p.train().settings();
        assertEquals(List.of("data", "optimizer", "early_stopping", "shuffle"), s.stream().map(Ast.TrainSetting::key).toList());
        assertEquals("(idx \"a\\b.gz\" \"say \"hi\"\" scale=(/ 1 255))", SExpr.of(s.get(0).value()));
        assertEquals("(early_stopping patience=3 monitor=val_loss)", SExpr.of(s.get(2).value()));
        assertEquals(new Span("t.nn", 4, 41, 4, 55), s.get(2).keySpan());
        assertEquals("false", SExpr.of(s.get(3).value()));
    }

    @Test
    void lossAndMetricMayBeWrittenWithEquals() {
        Ast.Program p = parse("model M { loss = mse(p, y)  metric = accuracy(p, y) }");
        assertInstanceOf(Ast.LossDecl.class, p.models().get(0).body().get(0));
        assertInstanceOf(Ast.MetricDecl.class, p.models().get(0).body().get(1));
    }

    @Test
    void emptyFileIsAnEmptyProgram() {
        Ast.Program p = parse("  // nothing here\n/* at all */");
        assertTrue(p.models().isEmpty());
        assertNull(p.train());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "model M { h = relu(x }                          | expected ',' or ')', found '}'",
            "model M { input x f32[batch] }                  | expected ':', found 'f32'",
            "model M { relu(x) }                             | expected '=', found '('",
            "model M { h = }                                 | expected an expression, found '}'",
            "model M { 3 }                                   | expected a statement or '}', found '3'",
            "model M { input loss: f32[1] }                  | expected a name, found 'loss'",
            "model M { h = x                                 | expected a statement or '}', found end of file",
            "modle M { }                                     | expected 'model', 'fn', 'train' or end of file, found 'modle'",
            "model M { h = x $ y }                           | unexpected character '$'",
            "model M { h = \"abc }                           | unterminated string",
            "model M { } /* never closed                     | unterminated comment",
            "model M { input x: f32[2.5] }                   | a dimension must be a whole number, got 2.5",
            "model M { input x: f32[99999999999999999999] }  | dimension 99999999999999999999 is too large (at most 2147483647)",
            "model M { h = (a, n = b) }                      | parentheses hold a single expression or a tuple of values, not named arguments",
            "model M { h = f(1 = 2) }                        | a named argument needs a plain name before '='",
            "fn f(x: f32[batch]) { input y: f32[1] return x } | a fn body holds bindings (name = expression) and one return",
            "fn f(n: int[2]) { return n }                    | an int parameter is a single whole number: write n: int",
            "model M { h = a < b < c }                       | comparisons cannot be chained",
            "train { } train { }                             | a file has at most one train block",
    })
    void syntaxErrorMessages(String source, String message) {
        assertEquals(message, error(source).message());
    }
}

package nnc.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.diag.SourceFile;
import org.junit.jupiter.api.Test;

/**
 * The grammar already covers every sketch of the language description the project started from: what is
 * implemented parses, and what is not is parsed and refused by name.
 */
class LanguageSketchesTest {
    static Ast.Program parse(String text) { return Parser.parse(new SourceFile("dsl.nn", text)); }

    static List<String> refusal(String text) {
        return assertThrows(CompileError.class, () -> parse(text)).diagnostics().stream().map(Diagnostic::message).toList();
    }

    @Test
    void regularisationAndTrainSettingsParse() {
        Ast.Program p = parse("""
                model Regularised {
                  input x: f32[batch, 784]  target y: i32[batch]
                  h = dropout(relu(batch_norm(dense(x, 256))), 0.5)
                  output logits = dense(h, 10)
                  loss cross_entropy(logits, y) + 1e-4 * l2(params) + 1e-6 * l1(logits.W)
                }
                train { optimizer adam(lr = 1e-3)  early_stopping(patience = 3, monitor = val_loss)
                        schedule cosine(warmup = 100) }
                """);
        assertEquals(List.of("optimizer", "early_stopping", "schedule"), p.train().settings().stream().map(Ast.TrainSetting::key).toList());
        assertEquals("(+ (+ (cross_entropy logits y) (* 1e-4 (l2 params))) (* 1e-6 (l1 logits.W)))",
                SExpr.of(((Ast.LossDecl) p.models().get(0).body().get(4)).value()));
    }

    @Test
    void convolutionAndRecurrentLayersParse() {
        Ast.Program p = parse("""
                model LeNet {
                  input x: f32[batch, 1, 28, 28]  target y: i32[batch]
                  c1 = max_pool2d(relu(conv2d(x, 6, kernel = 5, padding = 2)), 2)
                  c2 = max_pool2d(relu(conv2d(c1, 16, kernel = 5)), 2)
                  f  = relu(dense(relu(dense(flatten(c2), 120)), 84))
                  output logits = dense(f, 10)
                  loss cross_entropy(logits, y)
                }
                model Sentiment {
                  input tokens: i32[batch, time]  target y: i32[batch]
                  e = embedding(tokens, vocab = 64, dim = 32)
                  h = lstm(e, 64)
                  output logits = dense(last(h), 2)
                  loss cross_entropy(logits, y)
                }
                """);
        assertEquals(List.of(7, 6), p.models().stream().map(m -> m.body().size()).toList());
    }

    @Test
    void functionsParseWithTensorAndIntParameters() {
        Ast.Program p = parse("""
                fn attention(x: f32[batch, time, d], heads: int) -> f32[batch, time, d] {
                  q = dense(x, d)  k = dense(x, d)  v = dense(x, d)
                  a = softmax(split_heads(q, heads) @ transpose(split_heads(k, heads)) / sqrt(d / heads), mask = causal)
                  return dense(merge_heads(a @ split_heads(v, heads)), d)
                }
                fn residual(z: f32[batch, d]) -> f32[batch, d] {
                  return layer_norm(z + relu(dense(relu(dense(z, d)), d)))
                }
                model TinyTransformer {
                  input tokens: i32[batch, time]  target next: i32[batch, time]
                  param pos: f32[time, 64] = normal(0, 0.02)
                  e = embedding(tokens, vocab = 64, dim = 64) + pos
                  h = layer_norm(e + attention(e, heads = 4))
                  output logits = dense(h, 64)
                  loss cross_entropy(logits, next)
                }
                """);
        assertEquals(List.of("attention", "residual"), p.fns().stream().map(Ast.FnDecl::name).toList());
        Ast.FnDecl attention = p.fns().get(0);
        assertEquals(List.of(false, true), attention.params().stream().map(Ast.FnParam::isInt).toList());
        assertEquals(List.of("q", "k", "v", "a"), attention.body().stream().map(Ast.LetDecl::name).toList());
        assertEquals("(dense (merge_heads (@ a (split_heads v heads))) d)", SExpr.of(attention.returned()));
        assertEquals("f32[batch, d]", p.fns().get(1).result().dtype() + "[batch, " + p.fns().get(1).result().dims().get(1).symbol() + "]");
    }

    @Test
    void scanIsParsedWithItsBody() {
        Ast.Program p = parse("""
                model CharRnn {
                  input  tokens: i32[batch, time]
                  target next:   i32[batch, time]
                  param  Wxh: f32[32, 64] = xavier
                  param  Whh: f32[64, 64] = orthogonal
                  param  Why: f32[64, 50] = xavier
                  e = embedding(tokens, vocab = 50, dim = 32)
                  hs = scan h = zeros(batch, 64) over x_t in e {
                    h = tanh(x_t @ Wxh + h @ Whh)
                  }
                  output logits = hs @ Why
                  loss   cross_entropy(logits, next)
                }
                """);
        Ast.LetDecl hs = (Ast.LetDecl) p.models().get(0).body().get(6);
        assertEquals("(scan h=(zeros batch 64) x_t e (let h (tanh (+ (@ x_t Wxh) (@ h Whh)))))", SExpr.of(hs.value()));
    }
}

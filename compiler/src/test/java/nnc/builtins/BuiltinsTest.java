package nnc.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import nnc.ir.BinaryFn;
import nnc.ir.UnaryFn;
import nnc.types.TensorType;
import org.junit.jupiter.api.Test;

/** The builtin registry: what it declares, and what it refuses. */
class BuiltinsTest {
    @Test
    void everyElementwiseFunctionThatNamesABuiltinIsOneWithItsArity() {
        for (UnaryFn f : UnaryFn.values())
            f.builtin().ifPresent(name -> {
                Builtin b = Builtins.lookup(name).orElseThrow(() -> new AssertionError(name + " is not registered"));
                assertEquals(List.of("x"), b.signature().tensors(), name);
                assertEquals(Builtin.Kind.FUNCTION, b.kind(), name);
            });
        for (BinaryFn f : BinaryFn.values())
            f.builtin().ifPresent(name -> assertEquals(List.of("a", "b"),
                    Builtins.lookup(name).orElseThrow(() -> new AssertionError(name + " is not registered")).signature().tensors(), name));
    }

    @Test
    void theRegistryHoldsTheLanguagesBuiltins() {
        Set<String> others = new TreeSet<>(Builtins.names());
        for (UnaryFn f : UnaryFn.values()) f.builtin().ifPresent(others::remove);
        for (BinaryFn f : BinaryFn.values()) f.builtin().ifPresent(others::remove);
        assertEquals(new TreeSet<>(List.of("argmax", "argmin", "avg_pool2d", "batch_norm", "bce", "bce_with_logits", "chunk", "clamp",
                "concat", "conv1d", "conv2d", "cross_entropy", "dense", "dropout", "elu", "embedding", "expand", "flatten", "gelu",
                "global_avg_pool2d", "global_max_pool2d", "group_norm", "gru", "hardtanh", "huber", "identity", "kl_div", "l1", "l2", "last",
                "layer_norm", "leaky_relu", "log_softmax", "logsumexp", "lstm", "mae", "max_pool2d", "mean", "merge_heads", "mish", "mse",
                "multi_head_attention", "nll", "ones", "pad", "permute", "repeat", "reshape", "rnn", "rsqrt", "selu", "smooth_l1", "softmax",
                "split", "split_heads", "squeeze", "stack", "std", "sum", "swish", "transformer_block", "transpose", "unsqueeze", "var",
                "where", "zeros")), others);
    }

    @Test
    void theLayersAreTheBuiltinsThatOwnParametersOrState() {
        Set<String> layers = new TreeSet<>(), loops = new TreeSet<>();
        for (String name : Builtins.names()) {
            Builtin b = Builtins.lookup(name).orElseThrow();
            if (b.createsParams()) layers.add(name);
            if (b.runsLoop()) loops.add(name);
        }
        assertEquals(new TreeSet<>(List.of("batch_norm", "conv1d", "conv2d", "dense", "dropout", "embedding", "group_norm", "gru",
                "layer_norm", "lstm", "multi_head_attention", "rnn", "transformer_block")), layers);
        assertEquals(Set.of("gru", "lstm", "rnn"), loops);
    }

    @Test
    void eachNameTheRegistryListsLooksUpTheBuiltinOfThatNameAndNoOtherNameDoes() {
        // the registry lists its families' names before it builds them: every listed name must be declared, under that name
        for (String name : Builtins.names()) assertEquals(name, Builtins.lookup(name).orElseThrow().name());
        for (String name : List.of("x", "dense_", "Dense", "softmax2", "", "f"))
            assertEquals(Optional.empty(), Builtins.lookup(name), name);
    }

    @Test
    void aBuiltinCannotBeDeclaredWithoutItsTypeRuleOrItsLowering() {
        Signature x = Signature.tensors("x");
        Builtin.TypeRule rule = c -> TensorType.F32_SCALAR;
        assertThrows(NullPointerException.class, () -> Builtin.function("f", x, rule, null));
        assertThrows(NullPointerException.class, () -> Builtin.function("f", x, null, c -> c.tensor(0)));
    }
}

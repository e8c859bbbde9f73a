package nnc.runtime.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The contents of one safetensors file.
 *
 * @param origin   where the tensors came from (the file name), for messages
 * @param tensors  the tensors by name, in the order of their data in the file
 * @param metadata the free-form string pairs of the header's {@code __metadata__} (empty if none)
 */
public record TensorFile(String origin, Map<String, Tensor> tensors, Map<String, String> metadata) {
    public TensorFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Map.copyOf(metadata);
    }

    /** Tensors that did not come from a file; {@code origin} names them in messages. */
    public static TensorFile of(String origin, Iterable<Tensor> tensors) {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Tensor t : tensors)
            if (byName.putIfAbsent(t.name(), t) != null) throw new IllegalArgumentException(origin + ": two tensors named " + t.name());
        return new TensorFile(origin, byName, Map.of());
    }

    /** The tensor called {@code name}, if there is one. */
    public Optional<Tensor> find(String name) { return Optional.ofNullable(tensors.get(name)); }
}

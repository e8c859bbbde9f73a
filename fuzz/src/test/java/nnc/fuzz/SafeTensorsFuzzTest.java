package nnc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.TensorFile;

/**
 * The safetensors reader on arbitrary bytes. Property: a {@link nnc.runtime.io.SafeTensorsException}
 * naming the file, or tensors and metadata that {@link SafeTensors#encode} writes back to bytes that
 * read as the same tensors and metadata.
 * Seeds: the gradient, parameter and input fixtures of the compiler's tests and a few files
 * written by {@link SafeTensors#write} ({@code SafeTensorsFuzzTestInputs/read}).
 */
class SafeTensorsFuzzTest {
    private static final Path DIR = UserFacing.scratch("safetensors");
    private static final Path FILE = DIR.resolve("fuzz.safetensors");

    static {
        FILE.toFile().deleteOnExit();
    }

    @FuzzTest
    void read(byte[] input) {
        if (input.length > UserFacing.MAX_INPUT) return;
        UserFacing.acceptOrRefuse(FILE.toString(), () -> {
            Files.write(FILE, input);
            TensorFile read = SafeTensors.read(FILE);
            TensorFile again = SafeTensors.decode(SafeTensors.encode(read.tensors().values(), read.metadata()), "written back");
            if (!again.tensors().equals(read.tensors()) || !again.metadata().equals(read.metadata()))
                throw new AssertionError("written back, " + read.tensors().keySet() + " read as " + again.tensors().keySet());
        });
    }
}

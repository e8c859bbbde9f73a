package nnc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import nnc.runtime.data.DataSpec;
import nnc.runtime.data.Datasets;
import nnc.runtime.io.FeatureFile;

/**
 * The CSV readers on arbitrary bytes: as a training set ({@code csv(file, normalize = true)}, the
 * last column the label; the bytes may be gzip) and as the rows {@code nnc predict} reads.
 * Property: a {@link nnc.runtime.data.DataException} naming the file, or a data set.
 * Seeds: {@code samples/data/housing.csv} cut to a few rows, and small CSV files ({@code CsvFuzzTestInputs}).
 */
class CsvFuzzTest {
    private static final Path DIR = UserFacing.scratch("csv");
    private static final Path FILE = DIR.resolve("fuzz.csv");

    static {
        FILE.toFile().deleteOnExit();
    }

    @FuzzTest
    void trainingSet(byte[] input) {
        if (input.length > UserFacing.MAX_INPUT) return;
        UserFacing.acceptOrRefuse(FILE.toString(), () -> {
            Files.write(FILE, input);
            Datasets.load(new DataSpec("csv", List.of(FILE.toString()), Map.of("normalize", "true"), "fuzz.nn:9:8"), null, 1);
        });
    }

    @FuzzTest
    void predictRows(byte[] input) {
        if (input.length > UserFacing.MAX_INPUT) return;
        UserFacing.acceptOrRefuse(FILE.toString(), () -> {
            Files.write(FILE, input);
            FeatureFile.read(FILE, 1);
        });
    }
}

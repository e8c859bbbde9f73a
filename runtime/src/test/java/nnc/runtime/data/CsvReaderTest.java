package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir Path dir;

    private Dataset load(String content, Map<String, Object> options) throws IOException {
        Files.writeString(dir.resolve("d.csv"), content);
        return Datasets.load(new DataSpec("csv", List.of("d.csv"), options, "m.nn:4:9"), dir, 0);
    }

    private String error(String content, Map<String, Object> options) throws IOException {
        Files.writeString(dir.resolve("d.csv"), content);
        return assertThrows(DataException.class,
                () -> Datasets.load(new DataSpec("csv", List.of("d.csv"), options, "m.nn:4:9"), dir, 0)).getMessage();
    }

    @Test
    void integerLabelsAreClasses() throws IOException {
        Dataset d = load("a,kind,b\n1,0,2\n\n3.5,2,-4\r\n\"5\",1,6e1\n", Map.of("label", "kind"));
        assertEquals(3, d.rows());
        assertTrue(d.hasClassIndex());
        assertEquals(3, d.numClasses());
        assertArrayEquals(new int[] {0, 2, 1}, d.classIndex());
        assertArrayEquals(new float[] {1, 2, 3.5f, -4, 5, 60}, d.x());
        assertArrayEquals(new int[] {2}, d.featureShape());
    }

    @Test
    void fractionalLabelsAreARegressionTargetAndTheLastColumnIsTheDefault() throws IOException {
        Dataset d = load("size,price\n1,2.5\n2,4\n", Map.of());
        assertFalse(d.hasClassIndex());
        assertEquals(1, d.labelWidth());
        assertArrayEquals(new float[] {2.5f, 4}, d.labelRows());
        assertArrayEquals(new float[] {1, 2}, d.x());
    }

    @Test
    void errorsNameFileLineAndColumn() throws IOException {
        String file = dir.resolve("d.csv").toString();
        assertEquals("m.nn:4:9: csv: " + file + ":3: column 'b': 'x7' is not a finite number",
                error("a,b\n1,2\n3,x7\n", Map.of()));
        assertEquals("m.nn:4:9: csv: " + file + ":2: expected 2 values as in the header, found 3",
                error("a,b\n1,2,3\n", Map.of()));
        assertEquals("m.nn:4:9: csv: " + file + " has no column 'y'; its columns are: a, b",
                error("a,b\n1,2\n", Map.of("label", "y")));
        assertTrue(error("a,b\n", Map.of()).endsWith("has a header but no data rows"));
        assertTrue(error("", Map.of()).endsWith("is empty; expected a header row and data rows"));
        assertTrue(error("a,b\n1,\n", Map.of()).endsWith(":2: column 'b' is empty"));
        assertTrue(error("a,b\n\"1,2\n", Map.of()).endsWith(":2: a quoted field is not closed"));
    }
}

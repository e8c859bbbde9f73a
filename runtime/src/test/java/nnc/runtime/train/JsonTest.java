package nnc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesOneLineObjects() {
        String s = Json.object().put("model", "Mnist \"MLP\"\n").put("epochs", 10).put("loss", 0.25).put("acc", Double.NaN)
                .put("lr", 0.1f).put("inf", Float.POSITIVE_INFINITY).put("ok", true).put("none", null)
                .put("steps", 9_000_000_000L).put("history", List.of(1, 2.5)).put("nested", Json.object().put("a", "\u0001"))
                .toString();
        assertEquals("{\"model\":\"Mnist \\\"MLP\\\"\\n\",\"epochs\":10,\"loss\":0.25,\"acc\":null,\"lr\":0.1,\"inf\":null,"
                + "\"ok\":true,\"none\":null,\"steps\":9000000000,\"history\":[1,2.5],\"nested\":{\"a\":\"\\u0001\"}}", s);
    }

    @Test
    void laterPutReplacesInPlace() {
        assertEquals("{\"a\":3,\"b\":2}", Json.object().put("a", 1).put("b", 2).put("a", 3).toString());
        assertEquals("{\"list\":[null,\"x\"]}", Json.object().put("list", Arrays.asList(Double.NaN, "x")).toString());
    }

    @Test
    void rejectsOtherTypes() {
        assertThrows(IllegalArgumentException.class, () -> Json.object().put("x", new Object()));
    }
}

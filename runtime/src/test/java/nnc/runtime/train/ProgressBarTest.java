package nnc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void rendersProgressRateAndTimeLeft() {
        // half of 24 steps at 6 steps/s: 12 steps left → 2 s
        assertEquals("epoch 3/10 [============>           ] 12/24  loss 0.5000  6 steps/s  ETA 0:02",
                ProgressBar.render(3, 10, 12, 24, 0.5f, 6.0));
        assertEquals("epoch 1/1 [========================] 600/600  loss 0.1250  5 steps/s  ETA 0:00",
                ProgressBar.render(1, 1, 600, 600, 0.125f, 5.0));
        assertEquals("epoch 2/2 [======>" + " ".repeat(17) + "] 1250/5000  loss 0.1250  1,234 steps/s  ETA 0:03",
                ProgressBar.render(2, 2, 1250, 5000, 0.125f, 1234.4));
        assertTrue(ProgressBar.render(1, 1, 10, 1000, 1f, 10.0).endsWith("ETA 1:39"), "990 steps at 10/s: 99 s");
    }

    @Test
    void theFirstFrameShowsNoRateYet() {
        StringWriter sink = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(sink), 2, stats -> { });
        bar.stepEnd(1, 1, 5, 0.5f);
        assertEquals("\repoch 1/2 [====>" + " ".repeat(19) + "] 1/5  loss 0.5000  – steps/s  ETA –", sink.toString());
        assertEquals("epoch 1/2 [>" + " ".repeat(23) + "] 0/5  loss 0.5000  – steps/s  ETA –", ProgressBar.render(1, 2, 0, 5, 0.5f, Double.NaN));
    }

    @Test
    void framesAndTheWipeAreFlushedBeforeTheEpochLine() {
        StringWriter sink = new StringWriter();
        List<String> seenByLines = new ArrayList<>();
        // a buffered stream: only a flush puts the bar's text into the sink
        ProgressBar bar = new ProgressBar(new PrintWriter(new BufferedWriter(sink, 1 << 16)), 1, stats -> seenByLines.add(sink.toString()));
        bar.stepEnd(1, 1, 2, 0.5f);
        assertTrue(sink.toString().startsWith("\repoch 1/1 ["), "the frame reached the sink: " + sink);
        bar.stepEnd(1, 2, 2, 0.5f);
        assertTrue(sink.toString().contains("2/2"), "the last frame reached the sink: " + sink);
        bar.epochEnd(new EpochStats(1, 0.5, Double.NaN, Double.NaN, Double.NaN, 1, 2));
        assertEquals(1, seenByLines.size());
        assertTrue(seenByLines.get(0).endsWith("\r"), "wiped and flushed before the epoch line: " + seenByLines.get(0));
    }

    @Test
    void drawsInPlaceAndLeavesOnlyTheEpochLines() {
        StringWriter sink = new StringWriter();
        List<EpochStats> lines = new ArrayList<>();
        ProgressBar bar = new ProgressBar(new PrintWriter(sink), 2, lines::add);
        for (int s = 1; s <= 5; s++) bar.stepEnd(1, s, 5, 0.5f);
        EpochStats stats = new EpochStats(1, 0.5, Double.NaN, Double.NaN, Double.NaN, 1, 5);
        bar.epochEnd(stats);
        String out = sink.toString();
        assertTrue(out.startsWith("\repoch 1/2 ["), out);
        assertTrue(out.contains("5/5"), "the last step of an epoch is always drawn: " + out);
        assertTrue(out.endsWith("\r"), "wiped before the epoch line: " + out);
        assertEquals(List.of(stats), lines);
    }
}

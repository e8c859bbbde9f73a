package nnc.playground;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.optim.OptimizerCatalog;
import nnc.optim.TrainConfig;
import nnc.runtime.CompiledModel;
import nnc.runtime.data.DataSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Datasets;
import nnc.runtime.train.Json;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The run endpoints: {@code POST /api/run} (compile with the bytecode back end, make the data,
 * start paused), {@code POST /api/run/ID/play|pause|step|reset}, {@code GET /api/run/ID/data} and
 * {@code GET /api/run/ID/events} (Server-Sent Events: frames while playing, one after every
 * command; the run ends when the stream closes).
 */
final class RunApi {
    /** The time between two frames while playing: 20 per second (fewer when drawing one is slow, see {@link #PAINT_SHARE}). */
    static final long FRAME_MS = 50;
    /**
     * Frames slow down so that drawing them takes at most 1/{@value} of the time while playing
     * (of one core): a slow machine, or a cold JIT, gets fewer frames rather than slower training.
     */
    static final long PAINT_SHARE = 5;
    /** The longest time between two frames while playing, however slow drawing is. */
    static final long MAX_FRAME_MS = 500;
    /** The time between two heartbeats while paused (how soon a closed page is noticed). */
    static final long HEARTBEAT_MS = 1000;
    /** The largest network a run trains (typed programs; the controls stop at 6 × 8). */
    static final int MAX_RUN_LAYERS = 8, MAX_RUN_NEURONS = 16;
    private static final Set<String> SYNTHETIC = Set.of("circles", "xor", "gaussians", "spiral");

    private RunApi() {}

    static void route(Runs runs, Exchange x, boolean get, boolean post) throws IOException, InterruptedException {
        String[] parts = x.path().split("/"); // "", "api", "run", ID, ACTION
        if (post && parts.length == 3) {
            x.json(200, start(runs, x.jsonBody()));
            return;
        }
        if (parts.length != 5) throw new HttpFailure(404, "no such endpoint: " + x.path());
        Run run = runs.get(parts[3]);
        String action = parts[4];
        if (get && action.equals("events")) {
            events(runs, run, x);
            return;
        }
        if (get && action.equals("data")) {
            x.json(200, data(run));
            return;
        }
        if (!post) throw new HttpFailure(405, "use POST for " + action);
        x.discardBody();
        Map<String, Object> state = switch (action) {
            case "play" -> run.play();
            case "pause" -> run.pause();
            case "step" -> run.step();
            case "reset" -> run.reset();
            default -> throw new HttpFailure(404, "no run action " + action + " (play, pause, step, reset)");
        };
        Json answer = Json.object();
        state.forEach(answer::put);
        x.json(200, answer);
    }

    /** Compiles the source and starts a paused run for its page. */
    static Json start(Runs runs, Map<String, Object> body) {
        if (!(body.get("page") instanceof String page) || page.isEmpty() || page.length() > 100)
            throw new HttpFailure(400, "the request needs a \"page\" id (1 to 100 characters)");
        Checked checked = Checked.of(Checked.sourceOf(body));
        if (!checked.ok()) throw checked.failure();
        Compilation c = checked.compilation();
        ProgramReader.View view = ProgramReader.read(c);
        if (view.network() == null)
            throw new HttpFailure(400, "the playground trains a dense network from 2 inputs to one sigmoid output: " + view.why());
        List<Integer> layers = view.network().layers();
        if (layers.size() - 2 > MAX_RUN_LAYERS || layers.subList(1, layers.size() - 1).stream().anyMatch(w -> w > MAX_RUN_NEURONS))
            throw new HttpFailure(413, "the playground trains at most " + MAX_RUN_LAYERS + " hidden layers of at most " + MAX_RUN_NEURONS
                    + " neurons (each neuron's map is streamed); train larger networks with nnc train");
        TrainConfig cfg = c.train();
        Dataset train = data(cfg.data(), cfg.seed(), "data"), test = cfg.validate() == null ? null : data(cfg.validate(), cfg.seed() + 1, "validate");
        if (train.rows() + (test == null ? 0 : test.rows()) > Program.MAX_ROWS)
            throw new HttpFailure(413, "the data sets have more than " + Program.MAX_ROWS + " rows together; the playground draws at most that many");
        if (!cfg.schedule().isConstant() || cfg.earlyStopping() != null)
            throw new HttpFailure(400, "the playground trains without a learning-rate schedule or early stopping: remove them from the train block");
        int batch = OptimizerCatalog.named(cfg.optimizer()).fullBatch() ? train.rows() : Math.min(cfg.batch(), train.rows());
        Grid grid = Grid.around(Grid.DEFAULT_SIZE, train, test);
        CompiledModel model = c.compiled(Backend.BYTECODE, batch);
        int probeRows = Math.max(grid.size() * grid.size(), Math.max(train.rows(), test == null ? 0 : test.rows()));
        FramePainter painter = new FramePainter(c.compiled(Backend.BYTECODE, probeRows), view.network(), grid, train, test);
        Run run = new Run(runs.newId(), page, view.network(), model, train, cfg.seed(), batch, painter);
        runs.add(run);
        return Json.object().put("run", run.id).put("inputs", 2).put("layers", view.network().layers());
    }

    private static Dataset data(DataSpec spec, long seed, String line) {
        if (!SYNTHETIC.contains(spec.kind()))
            throw new HttpFailure(400, "the playground trains on circles, xor, gaussians or spiral, not " + spec.kind() + " (the `" + line + "` line)");
        Object n = spec.options().get("n");
        if (n instanceof Number v && v.doubleValue() > Program.MAX_ROWS)
            throw new HttpFailure(413, "`" + line + "` asks for " + v.longValue() + " rows; the playground draws at most " + Program.MAX_ROWS);
        try {
            return Datasets.load(spec, Path.of("."), seed);
        } catch (RuntimeException e) {
            throw new HttpFailure(400, e.getMessage());
        }
    }

    private static Json data(Run run) {
        Grid g = run.painter.grid();
        return Json.object().put("range", List.of(g.xmin(), g.xmax(), g.ymin(), g.ymax()))
                .put("train", points(run.painter.train())).put("test", points(run.painter.test()));
    }

    private static List<List<Number>> points(Dataset d) {
        List<List<Number>> rows = new ArrayList<>();
        if (d == null) return rows;
        float[] x = d.x();
        for (int i = 0; i < d.rows(); i++) rows.add(List.of(x[2 * i], x[2 * i + 1], label(d, i)));
        return rows;
    }

    private static int label(Dataset d, int row) {
        return d.hasClassIndex() ? d.classIndex()[row] : Math.round(d.labelRows()[row * d.labelWidth()]);
    }

    /** The events stream of {@code run}; when the page closes it, the run is discarded. */
    private static void events(Runs runs, Run run, Exchange x) throws InterruptedException {
        x.response.setStatus(200);
        x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        x.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        run.listening(true);
        boolean gone = false;
        try {
            x.write(false, ": nnc playground\n\n".getBytes(StandardCharsets.UTF_8));
            long seen = -1, lastFrame = 0, paintNanos = 0;
            boolean failureSent = false;
            while (!run.stopped()) {
                long early = lastFrame + Math.clamp(PAINT_SHARE * paintNanos / 1_000_000, FRAME_MS, MAX_FRAME_MS) - System.currentTimeMillis();
                if (run.playing() && early > 0) Thread.sleep(early);
                Snapshot s = run.next(seen, HEARTBEAT_MS);
                String failure = run.failure();
                if (failure == null) failureSent = false;
                if (s != null) {
                    seen = s.seq();
                    lastFrame = System.currentTimeMillis();
                    long t0 = System.nanoTime();
                    byte[] frame = event("frame", run.painter.paint(s).toString());
                    paintNanos = System.nanoTime() - t0;
                    x.write(false, frame);
                } else if (!run.playing()) {
                    x.write(false, ": ping\n\n".getBytes(StandardCharsets.UTF_8));
                }
                if (failure != null && !failureSent) {
                    x.write(false, event("failed", Json.object().put("message", failure).toString()));
                    failureSent = true;
                }
            }
            x.write(true, new byte[0]);
        } catch (IOException e) {
            gone = true;
        } catch (RuntimeException e) { // a bug: say so on the stream, and end the run
            gone = true;
            try {
                x.write(true, event("failed", Json.object().put("message", "internal error: " + e + " at " + Arrays.toString(Arrays.copyOf(e.getStackTrace(), 4))).toString()));
            } catch (IOException closed) {
                // the page has gone as well
            }
        } finally {
            run.listening(false);
            if (gone) runs.discard(run);
        }
    }

    private static byte[] event(String name, String data) {
        return ("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}

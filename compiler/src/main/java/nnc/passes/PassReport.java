package nnc.passes;

import java.util.ArrayList;
import java.util.List;

/** Notes the passes of one pipeline run leave for the user, e.g. which unsafe rules fired how often. */
public final class PassReport {
    private final List<String> notes = new ArrayList<>();

    public void note(String pass, String message) { notes.add(pass + ": " + message); }

    public List<String> notes() { return List.copyOf(notes); }
}

package dev.strata.bridge.buildkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What BuildKit's {@code --progress plain} output says about one build: which Containerfile steps
 * ran and which came from BuildKit's cache, and the error lines to show when it fails. Fed line by
 * line as the output arrives.
 */
final class PlainProgress {
  // "#7 [stage-1 2/3] COPY a /a" or "#7 [2/3] RUN make": a Containerfile step (vertex 7).
  private static final Pattern STEP =
      Pattern.compile("^#(\\d+) \\[(?:[^\\]]* )?\\d+/\\d+\\] (.*)$");
  private static final Pattern CACHED = Pattern.compile("^#(\\d+) CACHED$");
  private static final int ERROR_LINES = 20;

  private final Map<Integer, String> steps = new LinkedHashMap<>();
  private final Set<Integer> cached = new TreeSet<>();
  private final Deque<String> lastLines = new ArrayDeque<>();
  private final Deque<String> errorLines = new ArrayDeque<>();

  /** Reads one line of output. */
  void accept(String line) {
    Matcher step = STEP.matcher(line);
    if (step.matches()) {
      steps.putIfAbsent(Integer.parseInt(step.group(1)), step.group(2));
    }
    Matcher hit = CACHED.matcher(line);
    if (hit.matches()) {
      cached.add(Integer.parseInt(hit.group(1)));
    }
    if (line.startsWith("ERROR") || line.matches("^#\\d+ ERROR: .*") || line.startsWith(" > ")) {
      remember(errorLines, line);
    }
    remember(lastLines, line);
  }

  /** Containerfile steps BuildKit executed. */
  int stepsBuilt() {
    return (int) steps.keySet().stream().filter(id -> !cached.contains(id)).count();
  }

  /** Containerfile steps BuildKit took from its cache. */
  int stepsCached() {
    return (int) steps.keySet().stream().filter(cached::contains).count();
  }

  /** BuildKit's error lines, or the last lines of output when it printed none. */
  List<String> failure() {
    return List.copyOf(errorLines.isEmpty() ? lastLines : errorLines);
  }

  private static void remember(Deque<String> lines, String line) {
    lines.addLast(line);
    if (lines.size() > ERROR_LINES) {
      lines.removeFirst();
    }
  }
}

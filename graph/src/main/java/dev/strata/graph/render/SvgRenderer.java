package dev.strata.graph.render;

import dev.strata.graph.DerivationGraph;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The graph as SVG, drawn by Graphviz {@code dot} from the DOT output when it is installed. */
public final class SvgRenderer {
  private SvgRenderer() {}

  public static String render(DerivationGraph graph) throws IOException {
    String dot = DotRenderer.render(graph);
    Process process;
    try {
      process = new ProcessBuilder("dot", "-Tsvg").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(
          "--format svg needs Graphviz 'dot', which is not installed (install the graphviz"
              + " package, or use --format dot and render it elsewhere)");
    }
    try (OutputStream in = process.getOutputStream()) {
      in.write(dot.getBytes(StandardCharsets.UTF_8));
    }
    String svg;
    try (InputStream out = process.getInputStream()) {
      svg = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (process.waitFor() != 0) {
        throw new IOException("Graphviz dot failed: " + svg.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for Graphviz dot");
    }
    return svg;
  }
}

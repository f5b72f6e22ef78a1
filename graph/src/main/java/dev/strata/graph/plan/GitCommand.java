package dev.strata.graph.plan;

import dev.strata.graph.GraphException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the git CLI in a folder and returns its standard output. */
final class GitCommand {
  private GitCommand() {}

  /**
   * Runs {@code git -C directory args…}.
   *
   * @param feature what needs git, for the error when git is not installed ({@code --since})
   * @throws GraphException when git exits non-zero, with its standard error
   */
  static String run(String feature, Path directory, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(false).start();
    } catch (IOException e) {
      throw new IOException(feature + " needs the git command, which is not installed");
    }
    String out;
    try (InputStream in = process.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String err;
    try (InputStream in = process.getErrorStream()) {
      err = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (process.waitFor() != 0) {
        throw new GraphException("git " + String.join(" ", args) + ": " + err.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running git");
    }
    return out;
  }
}

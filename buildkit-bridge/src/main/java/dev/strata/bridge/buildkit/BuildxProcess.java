package dev.strata.bridge.buildkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.bridge.build.BuildException;
import dev.strata.bridge.oci.Digest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;

/**
 * Runs one {@link BuildxInvocation}: every line BuildKit prints goes to the listener tagged with
 * the node as it arrives; a failure becomes a {@link BuildException} naming the node, BuildKit's
 * error lines and the command to run it again by hand.
 */
final class BuildxProcess {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A finished build: the pushed manifest digest BuildKit reported, and step counts. */
  record Outcome(Optional<Digest> pushed, int stepsBuilt, int stepsCached) {}

  private BuildxProcess() {}

  static Outcome run(BuildxInvocation invocation, BuildKitListener listener) throws IOException {
    PlainProgress progress = new PlainProgress();
    Process process;
    try {
      process = new ProcessBuilder(invocation.command()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new BuildException(
          "node "
              + invocation.node()
              + ": cannot run docker ("
              + e.getMessage()
              + "); the BuildKit engine needs the docker CLI with the buildx plugin on PATH",
          e);
    }
    process.getOutputStream().close();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        progress.accept(line);
        listener.progress(invocation.node(), line);
      }
    }
    int exit;
    try {
      exit = process.waitFor();
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new BuildException("node " + invocation.node() + ": interrupted", e);
    }
    if (exit != 0) {
      throw new BuildException(
          "node "
              + invocation.node()
              + ": BuildKit failed (docker buildx build exited "
              + exit
              + "):\n  "
              + String.join("\n  ", progress.failure())
              + "\nthe command was: "
              + invocation.printable());
    }
    return new Outcome(pushedDigest(invocation), progress.stepsBuilt(), progress.stepsCached());
  }

  private static Optional<Digest> pushedDigest(BuildxInvocation invocation) throws IOException {
    if (!Files.isRegularFile(invocation.metadataFile())) {
      return Optional.empty();
    }
    JsonNode metadata = JSON.readTree(invocation.metadataFile().toFile());
    JsonNode digest = metadata.path("containerimage.digest");
    return digest.isTextual() ? Optional.of(Digest.parse(digest.asText())) : Optional.empty();
  }
}

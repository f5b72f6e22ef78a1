package dev.strata.trust;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real cosign 2.5 that scripts/setup-machine.sh unpacks ({@code /opt/strata-tools/bin/cosign},
 * or {@code $STRATA_COSIGN}). Outside CI a machine without it skips these tests with a message; in
 * CI ({@code CI} set) its absence fails them, since the setup script must have installed it.
 */
public final class CosignCli {
  /** What one cosign run did. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
  }

  private final Path binary;

  private CosignCli(Path binary) {
    this.binary = binary;
  }

  /** The installed cosign, or the test is skipped (outside CI) or failed (in CI). */
  public static CosignCli require() {
    String configured = System.getenv("STRATA_COSIGN");
    Path binary = Path.of(configured != null ? configured : "/opt/strata-tools/bin/cosign");
    if (!Files.isExecutable(binary)) {
      String message =
          "cosign not found at " + binary + "; run scripts/setup-machine.sh (install_cosign)";
      if (System.getenv("CI") != null) {
        fail(message);
      }
      assumeTrue(false, message);
    }
    return new CosignCli(binary);
  }

  /** Runs cosign in {@code dir} with {@code env} added and {@code COSIGN_YES=true}. */
  public Result run(Path dir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    builder.environment().put("COSIGN_YES", "true");
    // Keep cosign offline: no TUF cache refresh from a home folder it might find.
    builder.environment().put("TUF_ROOT", dir.resolve(".sigstore").toString());
    Path out = Files.createTempFile(dir, "cosign", ".out");
    Path err = Files.createTempFile(dir, "cosign", ".err");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("cosign " + String.join(" ", args) + " did not finish in 120 s");
    }
    Result result =
        new Result(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return result;
  }
}

package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.trust.key.PasswordSource;
import dev.strata.trust.key.SigningKey;
import dev.strata.trust.key.VerificationKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** strata keygen: cosign's file names and format, passwords from the environment. */
class KeygenCommandTest {
  @TempDir Path dir;

  @Test
  void writesCosignKeyAndPubInTheCurrentFolder() throws Exception {
    CliProcess run = CliProcess.run(dir, Map.of("STRATA_PASSWORD", "pw"), "keygen");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("Private key written to cosign.key", "cosign.pub");
    SigningKey key =
        SigningKey.read(
            dir.resolve("cosign.key"),
            PasswordSource.fromEnvironment(Map.of("STRATA_PASSWORD", "pw"), null));
    assertThat(VerificationKey.read(dir.resolve("cosign.pub"))).isEqualTo(key.publicKey());
  }

  @Test
  void thePrefixNamesBothFiles() throws Exception {
    Files.createDirectories(dir.resolve("keys"));
    CliProcess run =
        CliProcess.run(
            dir, Map.of("COSIGN_PASSWORD", ""), "keygen", "--output-key-prefix", "keys/release");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(dir.resolve("keys/release.key")).exists();
    assertThat(dir.resolve("keys/release.pub")).exists();
  }

  @Test
  void withoutAPasswordAndWithoutATerminalItFailsAndWritesNothing() throws Exception {
    CliProcess run = CliProcess.run(dir, Map.of(), "keygen");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("STRATA_PASSWORD");
    assertThat(dir.resolve("cosign.key")).doesNotExist();
  }

  @Test
  void anExistingKeyIsNotOverwritten() throws Exception {
    Files.writeString(dir.resolve("cosign.key"), "keep me");
    CliProcess run = CliProcess.run(dir, Map.of("STRATA_PASSWORD", "pw"), "keygen");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("cosign.key", "refusing to overwrite");
    assertThat(Files.readString(dir.resolve("cosign.key"))).isEqualTo("keep me");
  }
}

package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.Sha256Provider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/** The warm-up beside the command line parsing: silent, and SHA-256 goes through libcrypto. */
class LibraryWarmupTest {

  @Test
  void theWarmupOfABuildPrintsNothingAndInstallsTheSha256Provider() throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(printed, true));
      System.setErr(new PrintStream(printed, true));
      new LibraryWarmup(true, true).run();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }

    // SLF4J's notice that it has no binding comes from the test class path (testcontainers'
    // slf4j-api, which sqlite-jdbc then logs through); the strata jar has no SLF4J.
    assertThat(printed.toString().lines().filter(l -> !l.startsWith("SLF4J: "))).isEmpty();
    assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName())
        .isEqualTo(Sha256Provider.NAME);
  }
}

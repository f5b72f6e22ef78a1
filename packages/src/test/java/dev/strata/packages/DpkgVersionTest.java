package dev.strata.packages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Issue 7, must-show 2: Debian versions order exactly as dpkg orders them. */
class DpkgVersionTest {

  @Test
  void tableOfTrickyVersionsOrdersAsExpected() throws IOException {
    for (VersionTable row : VersionTable.read("dpkg-versions.tsv")) {
      assertThat(Integer.signum(DpkgVersion.ORDER.compare(row.a(), row.b())))
          .as(row.toString())
          .isEqualTo(row.order());
      assertThat(Integer.signum(DpkgVersion.ORDER.compare(row.b(), row.a())))
          .as("reversed " + row)
          .isEqualTo(-row.order());
    }
  }

  @Test
  void tableAgreesWithDpkgCompareVersions() throws Exception {
    List<VersionTable> table = VersionTable.read("dpkg-versions.tsv");
    assertThat(table).hasSizeGreaterThan(30);
    for (VersionTable row : table) {
      assertThat(dpkgOrder(row.a(), row.b()))
          .as("dpkg --compare-versions " + row)
          .isEqualTo(row.order());
    }
  }

  @Test
  void parsesEpochUpstreamAndRevision() {
    assertThat(DpkgVersion.parse("1:9.2p1-2+deb12u2"))
        .isEqualTo(new DpkgVersion(1, "9.2p1", "2+deb12u2"));
    assertThat(DpkgVersion.parse("2.0-rc-1")).isEqualTo(new DpkgVersion(0, "2.0-rc", "1"));
    assertThat(DpkgVersion.parse("248")).isEqualTo(new DpkgVersion(0, "248", ""));
    assertThatThrownBy(() -> DpkgVersion.parse("x:1.0"))
        .hasMessageContaining("epoch before ':' must be a number");
  }

  /** -1, 0 or 1 as dpkg itself orders a and b. */
  static int dpkgOrder(String a, String b) throws Exception {
    if (dpkg(a, "lt", b)) {
      return -1;
    }
    return dpkg(a, "eq", b) ? 0 : 1;
  }

  private static boolean dpkg(String a, String op, String b) throws Exception {
    Process p;
    try {
      p =
          new ProcessBuilder("dpkg", "--compare-versions", a, op, b)
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new AssertionError("dpkg is needed (Debian's dpkg; run scripts/setup-machine.sh)", e);
    }
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 0;
  }
}

package dev.strata.packages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Issue 7, must-show 2: RPM versions order as rpm's rpmvercmp orders them. */
class RpmVersionTest {

  @Test
  void rpmvercmpMatchesRpmsOwnTestCases() throws IOException {
    for (VersionTable row : VersionTable.read("rpmvercmp.tsv")) {
      assertThat(RpmVersion.rpmvercmp(row.a(), row.b())).as(row.toString()).isEqualTo(row.order());
    }
  }

  @Test
  void tableAgreesWithRpmItself() throws Exception {
    List<VersionTable> table = VersionTable.read("rpmvercmp.tsv");
    String pairs =
        table.stream()
            .map(r -> "{\"" + r.a() + "\",\"" + r.b() + "\"}")
            .collect(Collectors.joining(","));
    String lua =
        "%{lua: for _, p in ipairs({" + pairs + "}) do print(rpm.vercmp(p[1], p[2]) .. \";\") end}";
    Process p;
    try {
      p = new ProcessBuilder("rpm", "--eval", lua).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("rpm is needed (Debian's rpm; run scripts/setup-machine.sh)", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    // rpm collects what Lua prints into the expansion: one "N;" per pair.
    List<String> results =
        java.util.Arrays.stream(out.strip().split(";")).filter(r -> !r.isBlank()).toList();
    assertThat(results).as(out).hasSize(table.size());
    for (int i = 0; i < table.size(); i++) {
      assertThat(Integer.parseInt(results.get(i).strip()))
          .as("rpm.vercmp " + table.get(i))
          .isEqualTo(table.get(i).order());
    }
  }

  @Test
  void epochThenVersionThenRelease() {
    assertThat(RpmVersion.ORDER.compare("1:1.0-1", "2.0-1")).isPositive();
    assertThat(RpmVersion.ORDER.compare("0:1.0-1", "1.0-1")).isZero();
    assertThat(RpmVersion.ORDER.compare("1.0-1.el9", "1.0-2.el9")).isNegative();
    assertThat(RpmVersion.ORDER.compare("1.0~rc1-5", "1.0-1")).isNegative();
    // Without a release on one side, only the versions are compared (as rpm does).
    assertThat(RpmVersion.ORDER.compare("1.0", "1.0-7")).isZero();
  }
}

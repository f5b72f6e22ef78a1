package dev.strata.disk.fat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** dosfstools and mtools run on an image file: the oracles FAT images are checked against. */
final class FatTools {
  private FatTools() {}

  /** {@code fsck.fat -n -v}'s output; fails unless it found nothing to fix. */
  static String fsckClean(Path image) throws IOException, InterruptedException {
    String out = run(List.of("fsck.fat", "-n", "-v", image.toString()), true);
    assertThat(out)
        .doesNotContainIgnoringCase("dirty")
        .doesNotContainIgnoringCase("free cluster summary wrong")
        .doesNotContainIgnoringCase("differences between boot sector and its backup")
        .doesNotContain("Perform changes")
        .doesNotContain("Leaving filesystem unchanged");
    return out;
  }

  /** Every path {@code mdir -/ -a -b} lists, long names as shown; folders end with {@code /}. */
  static List<String> paths(Path image) throws IOException, InterruptedException {
    String out = run(List.of("mdir", "-/", "-a", "-b", "-i", image.toString(), "::/"), true);
    List<String> paths = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("::/")) {
        paths.add(line.substring(2));
      }
    }
    return paths;
  }

  /** {@code mdir -/ -a}'s listing. */
  static String listing(Path image) throws IOException, InterruptedException {
    return run(List.of("mdir", "-/", "-a", "-i", image.toString(), "::/"), true);
  }

  /** Copies {@code path} out of the image with mcopy. */
  static void copyOut(Path image, String path, Path target)
      throws IOException, InterruptedException {
    run(List.of("mcopy", "-n", "-i", image.toString(), "::" + path, target.toString()), true);
  }

  /** {@code minfo}'s output. */
  static String info(Path image) throws IOException, InterruptedException {
    return run(List.of("minfo", "-i", image.toString(), "::"), true);
  }

  /** Runs {@code argv}; returns its output (error output too), failing on a non-zero exit. */
  static String run(List<String> argv, boolean mustSucceed)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    // mtools checks geometry against its own idea of it, and prints names in the locale's charset
    pb.environment().put("MTOOLS_SKIP_CHECK", "1");
    pb.environment().put("LC_ALL", "C.UTF-8");
    Process p =
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    if (mustSucceed) {
      assertThat(code).as("%s:%n%s", String.join(" ", argv), out).isZero();
    }
    return out;
  }
}

package dev.strata.bridge.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The host's {@code setpriv} (util-linux), run inside a sandbox whose root is the image: bubblewrap
 * and chroot switch to the RUN's user there, because their own {@code --uid} needs a user
 * namespace, which would give files the wrong owners. The binary, its dynamic loader and its
 * libraries are bound read-only, one file each, into {@link #DIR} (on the sandbox's {@code /dev}
 * tmpfs, so never in a layer) and the loader runs it, whatever libc the image has or lacks.
 */
final class HostSetpriv {
  /** Where the files are bound inside the sandbox. */
  static final String DIR = "/dev/.strata-setpriv";

  private final Map<String, Path> files;
  private final String loader;

  private HostSetpriv(Map<String, Path> files, String loader) {
    this.files = files;
    this.loader = loader;
  }

  /** The host's setpriv and the shared objects {@code ldd} says it loads. */
  static HostSetpriv locate() throws RunSetupException {
    Path setpriv =
        SandboxRuntime.findOnPath("setpriv")
            .orElseThrow(
                () ->
                    new RunSetupException(
                        "the bwrap and chroot runtimes need setpriv (util-linux) on the PATH"));
    Map<String, Path> files = new LinkedHashMap<>();
    files.put("setpriv", setpriv.toAbsolutePath());
    String loader = null;
    String out;
    try {
      Process p = new ProcessBuilder("ldd", setpriv.toString()).redirectErrorStream(true).start();
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new RunSetupException("ldd " + setpriv + " did not finish");
      }
      if (p.exitValue() != 0 && !out.contains("not a dynamic executable")) {
        throw new RunSetupException("ldd " + setpriv + " failed: " + out.strip());
      }
    } catch (IOException e) {
      throw new RunSetupException("cannot run ldd on " + setpriv + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunSetupException("interrupted while running ldd on " + setpriv);
    }
    for (String raw : out.split("\n")) {
      String line = raw.strip();
      int arrow = line.indexOf("=>");
      String path;
      if (arrow >= 0) {
        path = line.substring(arrow + 2).strip();
      } else if (line.startsWith("/")) {
        path = line;
      } else {
        continue; // linux-vdso.so.1, "statically linked"
      }
      int paren = path.indexOf(" (");
      path = paren >= 0 ? path.substring(0, paren) : path;
      if (!path.startsWith("/")) {
        continue;
      }
      Path file = Path.of(path);
      if (!Files.isRegularFile(file)) {
        throw new RunSetupException("ldd names " + path + " for setpriv, but it is not a file");
      }
      String name = file.getFileName().toString();
      files.put(name, file);
      if (arrow < 0) {
        loader = name;
      }
    }
    return new HostSetpriv(files, loader);
  }

  /** Name inside {@link #DIR} → host file to bind there read-only. */
  Map<String, Path> files() {
    return files;
  }

  /**
   * The words that run {@code argv} (looked up on the sandbox's {@code PATH}) as {@code user} with
   * the primary group first among the supplementary ones (as runc, buildah and BuildKit set them)
   * and, when {@code boundingSet} is not empty, only those capabilities in the bounding set.
   */
  List<String> command(
      int uid, int gid, List<Integer> groups, List<String> boundingSet, List<String> argv) {
    List<String> words = new ArrayList<>();
    if (loader != null) {
      words.addAll(List.of(DIR + "/" + loader, "--library-path", DIR));
    }
    words.add(DIR + "/setpriv");
    List<Integer> all = new ArrayList<>();
    all.add(gid);
    groups.stream().filter(g -> !all.contains(g)).forEach(all::add);
    List<String> names = new ArrayList<>();
    all.forEach(g -> names.add(Integer.toString(g)));
    words.addAll(
        List.of(
            "--reuid",
            Integer.toString(uid),
            "--regid",
            Integer.toString(gid),
            "--groups",
            String.join(",", names)));
    if (!boundingSet.isEmpty()) {
      StringBuilder caps = new StringBuilder("-all");
      for (String cap : boundingSet) {
        caps.append(",+").append(cap.substring("CAP_".length()).toLowerCase(Locale.ROOT));
      }
      words.addAll(List.of("--bounding-set", caps.toString()));
    }
    words.add("--");
    words.addAll(argv);
    return words;
  }
}

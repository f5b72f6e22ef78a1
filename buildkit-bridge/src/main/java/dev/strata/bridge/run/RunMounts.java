package dev.strata.bridge.run;

import dev.strata.bridge.build.RunStep;
import dev.strata.bridge.rootfs.LayerStack;
import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.dsl.instructions.CacheSharing;
import dev.strata.dsl.instructions.RunMount;
import dev.strata.dsl.path.GoPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns the {@code --mount} values of a RUN into {@link SandboxMount}s with BuildKit's defaults:
 * relative targets below the working directory, a cache's id defaulting to its target and its
 * content to that of {@code from=} (see {@link CacheSeed}), a secret at {@code /run/secrets/ID}
 * with mode 0400, an ssh agent at {@code /run/buildkit/ssh_agent.N}.
 */
public final class RunMounts {
  private RunMounts() {}

  /**
   * The sandbox mounts of {@code mounts}: bind sources from {@code context} or, with {@code from=},
   * from the stage or image {@code stages} gives; secrets and agents from {@code secrets}.
   */
  public static List<SandboxMount> resolve(
      List<RunMount> mounts,
      Path context,
      RunStep.MountSources stages,
      BuildSecrets secrets,
      String workdir)
      throws IOException {
    List<SandboxMount> out = new ArrayList<>();
    int sshIndex = 0;
    for (RunMount m : mounts) {
      String target = m.target().isEmpty() ? "" : absolute(m.target(), workdir);
      switch (m.type()) {
        case BIND -> {
          if (target.isEmpty()) {
            throw new RunSetupException("a bind mount needs a target (--mount=type=bind,target=…)");
          }
          if (m.from().isEmpty()) {
            out.add(new SandboxMount.Bind(target, inside(context, m.source()), !m.readOnly()));
          } else {
            out.add(imageBind(target, stages.rootfs(m.from()), m.source(), m.from(), m));
          }
        }
        case CACHE -> {
          if (target.isEmpty()) {
            throw new RunSetupException(
                "a cache mount needs a target (--mount=type=cache,target=…)");
          }
          out.add(cache(m, target, stages));
        }
        case TMPFS -> {
          if (target.isEmpty()) {
            throw new RunSetupException(
                "a tmpfs mount needs a target (--mount=type=tmpfs,target=…)");
          }
          out.add(new SandboxMount.Tmpfs(target, m.sizeLimit()));
        }
        case SECRET -> {
          String id =
              !m.id().isEmpty()
                  ? m.id()
                  : !m.source().isEmpty() ? m.source() : last(RootfsView.components(target));
          Optional<byte[]> value = secrets.secret(id);
          if (value.isEmpty()) {
            if (m.required()) {
              throw new RunSetupException(
                  "secret '"
                      + id
                      + "' is required by this RUN; pass --secret id="
                      + id
                      + ",src=FILE");
            }
            continue;
          }
          String file =
              m.env().isPresent() && m.target().isEmpty()
                  ? null
                  : target.isEmpty() ? "/run/secrets/" + id : target;
          out.add(
              new SandboxMount.Secret(
                  file,
                  m.env().orElse(null),
                  value.get(),
                  (int) m.mode().orElse(0400),
                  (int) m.uid().orElse(0),
                  (int) m.gid().orElse(0)));
        }
        case SSH -> {
          String id = m.id().isEmpty() ? "default" : m.id();
          Optional<Path> socket = secrets.sshSocket(id);
          if (socket.isEmpty()) {
            if (m.required()) {
              throw new RunSetupException(
                  "ssh agent '" + id + "' is required by this RUN; pass --ssh " + id + "=SOCKET");
            }
            continue;
          }
          String sshTarget = target.isEmpty() ? "/run/buildkit/ssh_agent." + sshIndex : target;
          sshIndex++;
          out.add(new SandboxMount.Ssh(sshTarget, socket.get()));
        }
      }
    }
    return out;
  }

  /**
   * A cache mount as BuildKit's Dockerfile frontend makes it: the id defaults to the target as
   * written (cleaned, not made absolute); {@code from} (a stage or image) is the base of a new
   * instance, empty without it; {@code source} is the path inside the instance the RUN sees; mode,
   * uid and gid, given without {@code source}, make a folder {@code /cache} in the base (unless
   * {@code from} has one) and mount that.
   */
  private static SandboxMount.Cache cache(RunMount m, String target, RunStep.MountSources stages)
      throws IOException {
    String id = CacheTurns.cacheId(m);
    List<Path> layers = List.of();
    String identity = "";
    if (!m.from().isEmpty()) {
      LayerStack rootfs = stages.rootfs(m.from());
      layers = rootfs.directories();
      identity = rootfs.diffIds().stream().map(Object::toString).collect(Collectors.joining(","));
    }
    String source = GoPath.clean("/" + m.source());
    Optional<CacheSeed.Folder> folder = Optional.empty();
    boolean permissions = m.mode().isPresent() || m.uid().isPresent() || m.gid().isPresent();
    if (source.equals("/") && permissions) {
      source = "/cache";
      folder =
          Optional.of(
              new CacheSeed.Folder(
                  source,
                  (int) m.mode().orElse(0755),
                  (int) m.uid().orElse(0),
                  (int) m.gid().orElse(0)));
    }
    return new SandboxMount.Cache(
        target,
        id,
        m.sharing().orElse(CacheSharing.SHARED),
        m.readOnly(),
        new CacheSeed(layers, identity, folder),
        source,
        m.from());
  }

  private static String last(List<String> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("a secret mount needs an id or a target");
    }
    return parts.get(parts.size() - 1);
  }

  private static String absolute(String target, String workdir) {
    String joined = target.startsWith("/") ? target : workdir + "/" + target;
    List<String> clean = new ArrayList<>();
    for (String part : RootfsView.components(joined)) {
      if (part.equals("..")) {
        if (!clean.isEmpty()) {
          clean.remove(clean.size() - 1);
        }
      } else {
        clean.add(part);
      }
    }
    return "/" + String.join("/", clean);
  }

  /** A bind of {@code source} inside another stage's or image's root filesystem. */
  private static SandboxMount.ImageBind imageBind(
      String target, LayerStack rootfs, String source, String from, RunMount m) throws IOException {
    RootfsView view = new RootfsView(rootfs);
    String path = view.resolve(source.isEmpty() ? "/" : source, true);
    Optional<Path> file = path.equals("/") ? Optional.empty() : view.lookup(path);
    if (!path.equals("/") && file.isEmpty()) {
      throw new RunSetupException("bind mount source '" + source + "' does not exist in " + from);
    }
    boolean directory = file.isEmpty() || Files.isDirectory(file.get());
    return new SandboxMount.ImageBind(target, rootfs.directories(), path, directory, !m.readOnly());
  }

  /** {@code source} below {@code root}, refusing anything that leaves it, symlinks included. */
  private static Path inside(Path root, String source) throws IOException {
    String from = "";
    Path realRoot = root.toRealPath();
    Path candidate = realRoot.resolve(source.startsWith("/") ? "." + source : source).normalize();
    if (!Files.exists(candidate)) {
      throw new RunSetupException(
          "bind mount source '"
              + source
              + "' does not exist in "
              + (from.isEmpty() ? "the build context" : from));
    }
    Path real = candidate.toRealPath();
    if (!real.startsWith(realRoot)) {
      throw new RunSetupException(
          "bind mount source '"
              + source
              + "' leads outside "
              + (from.isEmpty() ? "the build context" : from)
              + "; refused");
    }
    return real;
  }
}

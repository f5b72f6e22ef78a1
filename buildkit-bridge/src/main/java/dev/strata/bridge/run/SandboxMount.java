package dev.strata.bridge.run;

import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.dsl.instructions.CacheSharing;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One {@code RUN --mount} with its source resolved to something on this host. Nothing mounted this
 * way reaches the layer: the runtime mounts it over the rootfs, and its mount point is kept out of
 * the upperdir.
 */
public sealed interface SandboxMount {
  /** The absolute path inside the sandbox. */
  String target();

  /**
   * A persistent directory per {@code id} and {@code seed}, shared between builds as {@code
   * sharing} says; the RUN sees its {@code source} (absolute, {@code /} for all of it). {@code
   * from} names the stage or image the seed's layers come from ({@code ""} for none), for messages.
   */
  record Cache(
      String target,
      String id,
      CacheSharing sharing,
      boolean readOnly,
      CacheSeed seed,
      String source,
      String from)
      implements SandboxMount {
    public Cache {
      checkTarget(target);
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(sharing, "sharing");
      Objects.requireNonNull(seed, "seed");
      Objects.requireNonNull(from, "from");
      if (!source.startsWith("/")) {
        throw new IllegalArgumentException("cache source must be absolute: '" + source + "'");
      }
    }

    /** An unseeded cache: an empty directory at first, all of it mounted. */
    public Cache(String target, String id, CacheSharing sharing, boolean readOnly) {
      this(target, id, sharing, readOnly, CacheSeed.EMPTY, "/", "");
    }
  }

  /**
   * A secret's bytes as a read-only file (on tmpfs, never in the bundle or the layer); when {@code
   * env} is set, also (or, with no target, only) an environment variable of that name.
   */
  record Secret(String target, String env, byte[] value, int mode, int uid, int gid)
      implements SandboxMount {
    public Secret {
      if (target != null) {
        checkTarget(target);
      }
      if (target == null && env == null) {
        throw new IllegalArgumentException("a secret mount needs a target or an env name");
      }
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return "Secret[target=" + target + ", env=" + env + ", value=<" + value.length + " bytes>]";
    }
  }

  /** A host directory or file; read-only unless {@code readWrite}, whose writes are discarded. */
  record Bind(String target, Path source, boolean readWrite) implements SandboxMount {
    public Bind {
      checkTarget(target);
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * {@code path} (resolved inside the image) of another stage's or image's root filesystem, whose
   * layer directories are {@code layers} (bottom first); writes with {@code readWrite} are
   * discarded.
   */
  record ImageBind(
      String target, List<Path> layers, String path, boolean directory, boolean readWrite)
      implements SandboxMount {
    public ImageBind {
      checkTarget(target);
      layers = List.copyOf(layers);
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("image path must be absolute: '" + path + "'");
      }
    }
  }

  /** A fresh tmpfs; {@code sizeBytes} 0 for the kernel default. */
  record Tmpfs(String target, long sizeBytes) implements SandboxMount {
    public Tmpfs {
      checkTarget(target);
    }
  }

  /** An ssh agent socket, announced to the process as {@code SSH_AUTH_SOCK}. */
  record Ssh(String target, Path socket) implements SandboxMount {
    public Ssh {
      checkTarget(target);
      Objects.requireNonNull(socket, "socket");
    }
  }

  private static void checkTarget(String target) {
    if (target == null || !target.startsWith("/") || RootfsView.components(target).contains("..")) {
      throw new IllegalArgumentException(
          "mount target must be an absolute path without '..': '" + target + "'");
    }
    if (RootfsView.components(target).isEmpty()) {
      throw new IllegalArgumentException("cannot mount over the root directory '/'");
    }
  }
}

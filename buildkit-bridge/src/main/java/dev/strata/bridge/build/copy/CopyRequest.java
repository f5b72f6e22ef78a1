package dev.strata.bridge.build.copy;

import com.google.common.collect.ImmutableList;
import dev.strata.bridge.rootfs.Owner;
import dev.strata.dsl.instructions.Add;
import dev.strata.dsl.instructions.Copy;
import dev.strata.dsl.instructions.InlineSource;
import java.util.List;
import java.util.Optional;

/**
 * What one COPY or ADD asks for, after expansion and with {@code --chown} already turned into
 * numeric ids against the image's own passwd and group files.
 */
public record CopyRequest(
    boolean add,
    List<String> sources,
    List<InlineSource> inlineSources,
    String destination,
    Optional<Owner> chown,
    Optional<Integer> chmod,
    boolean link,
    boolean parents,
    List<String> excludes,
    Optional<String> checksum,
    Optional<Boolean> unpack) {

  public CopyRequest {
    sources = ImmutableList.copyOf(sources);
    inlineSources = ImmutableList.copyOf(inlineSources);
    excludes = ImmutableList.copyOf(excludes);
  }

  /** The request of a COPY instruction. */
  public static CopyRequest of(Copy copy, Optional<Owner> chown) throws CopyException {
    return new CopyRequest(
        false,
        copy.sources(),
        copy.inlineSources(),
        copy.destination(),
        chown,
        octal(copy.chmod()),
        copy.link(),
        copy.parents(),
        copy.excludes(),
        Optional.empty(),
        Optional.of(false));
  }

  /** The request of an ADD instruction. */
  public static CopyRequest of(Add add, Optional<Owner> chown) throws CopyException {
    return new CopyRequest(
        true,
        add.sources(),
        add.inlineSources(),
        add.destination(),
        chown,
        octal(add.chmod()),
        add.link(),
        false,
        add.excludes(),
        add.checksum().filter(c -> !c.isEmpty()),
        add.unpack());
  }

  private static Optional<Integer> octal(Optional<String> chmod) throws CopyException {
    if (chmod.isEmpty() || chmod.get().isEmpty()) {
      return Optional.empty();
    }
    String text = chmod.get();
    if (!text.matches("[0-7]{1,4}")) {
      throw new CopyException(
          "--chmod=" + text + " is not supported yet: give an octal mode such as 0644 or 4755");
    }
    return Optional.of(Integer.parseInt(text, 8));
  }
}

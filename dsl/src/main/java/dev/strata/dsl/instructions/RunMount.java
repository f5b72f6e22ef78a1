package dev.strata.dsl.instructions;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * One {@code RUN --mount=} value after variable expansion, as BuildKit's {@code Mount}: type,
 * source stage or image ({@code from}), source, target, read-only, tmpfs size, cache/secret id,
 * cache sharing, required (secret/ssh), secret env name, and file mode/uid/gid.
 */
public record RunMount(
    MountType type,
    String from,
    String source,
    String target,
    boolean readOnly,
    long sizeLimit,
    String id,
    Optional<CacheSharing> sharing,
    boolean required,
    Optional<String> env,
    OptionalLong mode,
    OptionalLong uid,
    OptionalLong gid) {

  private static final List<String> ALL_KEYS =
      List.of(
          "type",
          "from",
          "source",
          "target",
          "readonly",
          "id",
          "sharing",
          "required",
          "size",
          "mode",
          "uid",
          "gid",
          "src",
          "dst",
          "destination",
          "ro",
          "rw",
          "readwrite",
          "env");

  /**
   * The parse-time check BuildKit makes before any variable is known: the value is one CSV record
   * and {@code from} holds no variable. Returns the raw {@code from} value ({@code ""} if none).
   */
  static String precheck(String spec) {
    List<String> fields = fields(spec);
    String from = "";
    for (String field : fields) {
      int eq = field.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = field.substring(0, eq).toLowerCase(Locale.ROOT);
      String value = field.substring(eq + 1);
      if (key.equals("from")) {
        int dollar = value.indexOf('$');
        if (dollar != -1 && dollar != value.length() - 1) {
          throw new InstructionError(
              "'from' doesn't support variable expansion, define alias stage instead",
              "--mount=" + spec);
        }
        from = value;
      }
    }
    return from;
  }

  /** Parses one {@code --mount} value, expanding every value with {@code expander} first. */
  public static RunMount parse(String spec, UnaryOperator<String> expander) {
    MountType type = MountType.BIND;
    String from = "";
    String source = "";
    String target = "";
    boolean readOnly = false;
    boolean roAuto = true;
    long size = 0;
    String id = "";
    CacheSharing sharing = null;
    boolean required = false;
    String env = null;
    Long mode = null;
    Long uid = null;
    Long gid = null;
    for (String field : fields(spec)) {
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
      if (eq < 0) {
        switch (key) {
          case "readonly", "ro" -> {
            readOnly = true;
            roAuto = false;
          }
          case "readwrite", "rw" -> {
            readOnly = false;
            roAuto = false;
          }
          case "required" -> {
            if (type != MountType.SECRET && type != MountType.SSH) {
              throw unexpectedForType(key, type);
            }
            required = true;
          }
          default ->
              throw new InstructionError(
                  "invalid field '" + field + "' must be a key=value pair", "--mount=" + spec);
        }
        continue;
      }
      String value = expander.apply(field.substring(eq + 1));
      switch (key) {
        case "type" -> {
          String lower = value.toLowerCase(Locale.ROOT);
          type =
              Arrays.stream(MountType.values())
                  .filter(t -> t.text().equals(lower))
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new InstructionError(
                              Suggestion.wrap(
                                  "unsupported mount type \"" + value + "\"",
                                  value,
                                  List.of("bind", "cache", "tmpfs", "secret", "ssh"),
                                  true),
                              "--mount=" + spec));
        }
        case "from" -> from = value;
        case "source", "src" -> source = value;
        case "target", "dst", "destination" -> target = value;
        case "readonly", "ro" -> {
          readOnly = GoBool.parse(key, value);
          roAuto = false;
        }
        case "readwrite", "rw" -> {
          readOnly = !GoBool.parse(key, value);
          roAuto = false;
        }
        case "required" -> {
          if (type != MountType.SECRET && type != MountType.SSH) {
            throw unexpectedForType(key, type);
          }
          required = GoBool.parse(key, value);
        }
        case "size" -> {
          if (type != MountType.TMPFS) {
            throw unexpectedForType(key, type);
          }
          size = ramInBytes(key, value);
        }
        case "id" -> id = value;
        case "sharing" -> {
          String lower = value.toLowerCase(Locale.ROOT);
          sharing =
              Arrays.stream(CacheSharing.values())
                  .filter(s -> s.text().equals(lower))
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new InstructionError(
                              Suggestion.wrap(
                                  "unsupported sharing value \"" + value + "\"",
                                  value,
                                  List.of("shared", "private", "locked"),
                                  true)));
        }
        case "mode" -> mode = unsigned(value, 8, "mode");
        case "uid" -> uid = unsigned(value, 10, "uid");
        case "gid" -> gid = unsigned(value, 10, "gid");
        case "env" -> env = value;
        default ->
            throw new InstructionError(
                Suggestion.wrap(
                    "unexpected key '" + key + "' in '" + field + "'", key, ALL_KEYS, true),
                "--mount=" + spec);
      }
    }
    boolean fileInfoAllowed =
        type == MountType.SECRET || type == MountType.SSH || type == MountType.CACHE;
    if (!fileInfoAllowed) {
      if (mode != null) {
        throw new InstructionError("mode not allowed for \"" + type.text() + "\" type mounts");
      }
      if (uid != null) {
        throw new InstructionError("uid not allowed for \"" + type.text() + "\" type mounts");
      }
      if (gid != null) {
        throw new InstructionError("gid not allowed for \"" + type.text() + "\" type mounts");
      }
    }
    if (roAuto) {
      readOnly = !(type == MountType.CACHE || type == MountType.TMPFS);
    }
    if (type == MountType.SECRET) {
      if (!from.isEmpty()) {
        throw new InstructionError("secret mount should not have a from");
      }
      if (sharing != null) {
        throw new InstructionError("secret mount should not define sharing");
      }
      if (source.isEmpty() && target.isEmpty() && id.isEmpty()) {
        throw new InstructionError("invalid secret mount. one of source, target required");
      }
      if (!source.isEmpty() && !id.isEmpty()) {
        throw new InstructionError("both source and id can't be set");
      }
    }
    if (sharing != null && type != MountType.CACHE) {
      throw new InstructionError("invalid cache sharing set for " + type.text() + " mount");
    }
    return new RunMount(
        type,
        from,
        source,
        target,
        readOnly,
        size,
        id,
        Optional.ofNullable(sharing),
        required,
        Optional.ofNullable(env),
        mode == null ? OptionalLong.empty() : OptionalLong.of(mode),
        uid == null ? OptionalLong.empty() : OptionalLong.of(uid),
        gid == null ? OptionalLong.empty() : OptionalLong.of(gid));
  }

  private static List<String> fields(String spec) {
    try {
      return CsvFields.parse(spec);
    } catch (IllegalArgumentException e) {
      throw new InstructionError(
          "failed to parse csv mounts: " + e.getMessage(), "--mount=" + spec);
    }
  }

  private static InstructionError unexpectedForType(String key, MountType type) {
    return new InstructionError(
        "unexpected key '" + key + "' for mount type '" + type.text() + "'");
  }

  /** Go's {@code strconv.ParseUint(v, base, 32)}. */
  private static long unsigned(String value, int base, String key) {
    try {
      if (value.isEmpty() || value.startsWith("+") || value.startsWith("-")) {
        throw new NumberFormatException();
      }
      long v = Long.parseLong(value, base);
      if (v > 0xFFFF_FFFFL) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new InstructionError("invalid value " + value + " for " + key);
    }
  }

  /** go-units {@code RAMInBytes}: a number with an optional binary suffix (k, MiB, g, ...). */
  static long ramInBytes(String key, String value) {
    int sep = -1;
    for (int i = value.length() - 1; i >= 0; i--) {
      if ("01234567890. ".indexOf(value.charAt(i)) >= 0) {
        sep = i;
        break;
      }
    }
    InstructionError bad = new InstructionError("invalid value for " + key + ": " + value);
    if (sep == -1) {
      throw bad;
    }
    String num = value.charAt(sep) == ' ' ? value.substring(0, sep) : value.substring(0, sep + 1);
    String sfx = value.substring(sep + 1).toLowerCase(Locale.ROOT);
    double size;
    try {
      if (num.isEmpty() || !num.matches("[0-9.]+") && !num.matches("[0-9.]+[eE][-+]?[0-9]+")) {
        throw new NumberFormatException();
      }
      size = Double.parseDouble(num);
    } catch (NumberFormatException e) {
      throw bad;
    }
    if (sfx.isEmpty()) {
      return (long) size;
    }
    if (sfx.length() > 3) {
      throw bad;
    }
    if (sfx.charAt(0) == 'b') {
      if (sfx.length() > 1) {
        throw bad;
      }
      return (long) size;
    }
    int power = "kmgtp".indexOf(sfx.charAt(0));
    if (power < 0) {
      throw bad;
    }
    if ((sfx.length() == 2 && sfx.charAt(1) != 'b')
        || (sfx.length() == 3 && !sfx.substring(1).equals("ib"))) {
      throw bad;
    }
    return (long) (size * Math.pow(1024, power + 1));
  }
}

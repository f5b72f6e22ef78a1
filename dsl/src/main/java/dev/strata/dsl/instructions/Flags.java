package dev.strata.dsl.instructions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * BuildKit's {@code BFlags}: the {@code --name[=value]} words of one instruction checked against
 * the flags that instruction defines, with BuildKit's error texts.
 */
final class Flags {

  /** How a flag takes its value. */
  enum Kind {
    BOOL,
    STRING,
    STRINGS
  }

  /** One defined flag and what the instruction gave it. */
  static final class Flag {
    private final String name;
    private final Kind kind;
    private String value;
    private final List<String> values = new ArrayList<>();

    private Flag(String name, Kind kind, String value) {
      this.name = name;
      this.kind = kind;
      this.value = value;
    }

    String name() {
      return name;
    }

    /** The value of a string flag, or {@code "true"}/{@code "false"} for a bool flag. */
    String value() {
      return value;
    }

    boolean isTrue() {
      return "true".equals(value);
    }

    /** Every value given to a repeatable flag, in order. */
    List<String> values() {
      return List.copyOf(values);
    }
  }

  private final List<String> args;
  private final Map<String, Flag> defined = new LinkedHashMap<>();
  private final Set<String> used = new LinkedHashSet<>();
  private String setupError;

  Flags(List<String> args) {
    this.args = List.copyOf(args);
  }

  Flag addBool(String name, boolean def) {
    return add(name, Kind.BOOL, def ? "true" : "false");
  }

  Flag addString(String name, String def) {
    return add(name, Kind.STRING, def);
  }

  Flag addStrings(String name) {
    return add(name, Kind.STRINGS, "");
  }

  private Flag add(String name, Kind kind, String def) {
    if (defined.containsKey(name)) {
      setupError = "Duplicate flag defined: " + name;
      return defined.get(name);
    }
    Flag flag = new Flag(name, kind, def);
    defined.put(name, flag);
    return flag;
  }

  /** Whether the instruction gave {@code flag} at all. */
  boolean isUsed(Flag flag) {
    return used.contains(flag.name);
  }

  /** The names of the flags the instruction gave, in first-use order. */
  List<String> used() {
    return List.copyOf(used);
  }

  /** Reads the words into the defined flags; throws BuildKit's error for the first bad word. */
  void parse() {
    if (setupError != null) {
      throw new InstructionError("error setting up flags: " + setupError);
    }
    for (String a : args) {
      if (a.equals("--")) {
        return;
      }
      if (!a.startsWith("--")) {
        throw new InstructionError("arg should start with -- : " + a, a);
      }
      int eq = a.indexOf('=');
      boolean hasValue = eq >= 0;
      String flagName = hasValue ? a.substring(0, eq) : a;
      String value = hasValue ? a.substring(eq + 1) : "";
      String name = flagName.substring(2);
      Flag flag = defined.get(name);
      if (flag == null) {
        throw new InstructionError(
            Suggestion.wrap("unknown flag: " + flagName, name, List.copyOf(defined.keySet()), true),
            a);
      }
      if (used.contains(name) && flag.kind != Kind.STRINGS) {
        throw new InstructionError("duplicate flag specified: " + flagName, a);
      }
      used.add(name);
      switch (flag.kind) {
        case BOOL -> {
          if (hasValue && value.isEmpty()) {
            throw new InstructionError("missing a value on flag: " + flagName, a);
          }
          switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "" -> flag.value = "true";
            case "false" -> flag.value = "false";
            default ->
                throw new InstructionError(
                    "expecting boolean value for flag " + flagName + ", not: " + value, a);
          }
        }
        case STRING -> {
          if (!hasValue) {
            throw new InstructionError("missing a value on flag: " + flagName, a);
          }
          flag.value = value;
        }
        case STRINGS -> {
          if (!hasValue) {
            throw new InstructionError("missing a value on flag: " + flagName, a);
          }
          flag.values.add(value);
        }
      }
    }
  }
}

package dev.strata.catalog.query;

import dev.strata.catalog.CatalogException;
import dev.strata.catalog.StoredBuild;
import dev.strata.graph.ImageName;
import dev.strata.packages.InstalledPackage;
import java.util.List;
import java.util.Optional;

/**
 * One search term: {@code pkg=NAME}, {@code pkg=NAMEopVERSION} (op one of {@code < <= = >= >},
 * versions ordered by the package's format), {@code label=KEY}, {@code label=KEY=VALUE}, or {@code
 * base=REF} (builds whose lineage starts from, or passes through, that image).
 */
public sealed interface SearchQuery {

  /** A package by name, optionally bounded by version. */
  record Package(String name, Optional<String> operator, Optional<String> version)
      implements SearchQuery {
    /** The first installed package of that name matching the bound, if any. */
    public Optional<InstalledPackage> match(List<InstalledPackage> packages) {
      return packages.stream()
          .filter(p -> p.name().equals(name))
          .filter(p -> operator.isEmpty() || satisfies(p))
          .findFirst();
    }

    private boolean satisfies(InstalledPackage p) {
      int order = p.format().versionOrder().compare(p.fullVersion(), version.orElseThrow());
      return switch (operator.orElseThrow()) {
        case "<" -> order < 0;
        case "<=" -> order <= 0;
        case "=" -> order == 0;
        case ">=" -> order >= 0;
        case ">" -> order > 0;
        default -> throw new IllegalStateException(operator.get());
      };
    }
  }

  /** A label by key, optionally with its value. */
  record Label(String key, Optional<String> value) implements SearchQuery {
    public Optional<String> match(StoredBuild build) {
      String actual = build.record().labels().get(key);
      if (actual == null || value.map(v -> !v.equals(actual)).orElse(false)) {
        return Optional.empty();
      }
      return Optional.of(key + "=" + actual);
    }
  }

  /** Builds whose lineage reaches an image: an external base or a recorded build's reference. */
  record Base(String reference) implements SearchQuery {
    public Optional<String> match(Lineage lineage) {
      for (StoredBuild b : lineage.builds()) {
        if (b.record().baseReference().map(this::matches).orElse(false)) {
          return b.record().baseReference();
        }
      }
      if (lineage.externalDigest().map(d -> d.startsWith(reference)).orElse(false)) {
        return lineage.externalDigest();
      }
      return Optional.empty();
    }

    private boolean matches(String recorded) {
      if (recorded.equals(reference)) {
        return true;
      }
      Optional<ImageName> a = ImageName.parse(recorded);
      Optional<ImageName> b = ImageName.parse(reference);
      if (a.isEmpty() || b.isEmpty()) {
        return false;
      }
      // base=debian matches debian:bookworm; base=debian:bookworm matches only that tag.
      boolean tagGiven = reference.substring(reference.lastIndexOf('/') + 1).contains(":");
      return a.get().repository().equals(b.get().repository())
          && (!tagGiven || a.get().tag().equals(b.get().tag()));
    }
  }

  /**
   * Parses a term.
   *
   * @throws CatalogException (input) naming the forms that are accepted
   */
  static SearchQuery parse(String term) throws CatalogException {
    String text = term.strip();
    if (text.startsWith("pkg=")) {
      String rest = text.substring(4);
      int op = indexOfOperator(rest);
      if (op < 0) {
        return requireName(new Package(rest, Optional.empty(), Optional.empty()), term);
      }
      String name = rest.substring(0, op);
      String operator =
          rest.startsWith("<=", op) || rest.startsWith(">=", op)
              ? rest.substring(op, op + 2)
              : rest.substring(op, op + 1);
      String version = rest.substring(op + operator.length());
      if (version.isEmpty() || indexOfOperator(version) == 0) {
        throw CatalogException.input(
            "search term '" + term + "' has no version after '" + operator + "'");
      }
      return requireName(new Package(name, Optional.of(operator), Optional.of(version)), term);
    }
    if (text.startsWith("label=")) {
      String rest = text.substring(6);
      int eq = rest.indexOf('=');
      String key = eq < 0 ? rest : rest.substring(0, eq);
      if (key.isEmpty()) {
        throw CatalogException.input("search term '" + term + "' names no label key");
      }
      return new Label(key, eq < 0 ? Optional.empty() : Optional.of(rest.substring(eq + 1)));
    }
    if (text.startsWith("base=") && text.length() > 5) {
      return new Base(text.substring(5));
    }
    throw CatalogException.input(
        "unknown search term '"
            + term
            + "': use pkg=NAME[<|<=|=|>=|>VERSION], label=KEY[=VALUE] or base=REF");
  }

  private static int indexOfOperator(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '<' || c == '>' || c == '=') {
        return i;
      }
    }
    return -1;
  }

  private static Package requireName(Package p, String term) throws CatalogException {
    if (p.name().isEmpty()) {
      throw CatalogException.input("search term '" + term + "' names no package");
    }
    return p;
  }
}

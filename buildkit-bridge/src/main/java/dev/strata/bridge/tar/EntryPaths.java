package dev.strata.bridge.tar;

/** Turns the raw names found in archives into the clean relative paths of {@link TarEntry}. */
final class EntryPaths {
  /** The path of the archive's root directory entry ({@code ./} or {@code /}). */
  static final String ROOT = ".";

  private EntryPaths() {}

  /**
   * Strips {@code ./} prefixes, duplicate and trailing slashes; refuses absolute names and {@code
   * ..} components, because either would write outside the extraction directory.
   */
  static String normalize(String raw) throws UnsafeEntryException {
    if (raw.startsWith("/")) {
      throw new UnsafeEntryException(
          "archive entry '" + raw + "' has an absolute path; layer entries must be relative");
    }
    StringBuilder clean = new StringBuilder();
    for (String part : raw.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new UnsafeEntryException(
            "archive entry '" + raw + "' contains '..' and would escape the target directory");
      }
      if (clean.length() > 0) {
        clean.append('/');
      }
      clean.append(part);
    }
    return clean.length() == 0 ? ROOT : clean.toString();
  }
}

package dev.strata.bridge.tar;

/** The kinds of file a layer tar can carry, with their ustar typeflag. */
public enum EntryType {
  REGULAR('0'),
  HARDLINK('1'),
  SYMLINK('2'),
  CHAR_DEVICE('3'),
  BLOCK_DEVICE('4'),
  DIRECTORY('5'),
  FIFO('6');

  private final char flag;

  EntryType(char flag) {
    this.flag = flag;
  }

  /** The ustar typeflag byte. */
  public char flag() {
    return flag;
  }

  /** The entry type of a ustar typeflag; {@code '\0'} and {@code '7'} are old spellings of 0. */
  static EntryType ofFlag(char flag) {
    if (flag == '\0' || flag == '7') {
      return REGULAR;
    }
    for (EntryType type : values()) {
      if (type.flag == flag) {
        return type;
      }
    }
    throw new IllegalArgumentException("unsupported tar entry type '" + flag + "'");
  }
}

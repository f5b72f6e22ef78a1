package dev.strata.cli;

/** Entry point of the strata command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(0);
  }
}

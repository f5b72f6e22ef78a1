/*
 * The physical-line structure of a Containerfile, as BuildKit's parser sees it.
 *
 * One token per physical line, its '\n' included, so here-document bodies can be taken raw
 * and line numbers are token indexes. The lexer classifies each line:
 *   COMMENT_LINE   first non-blank character is '#'         (skipped, even inside a continuation)
 *   BLANK_LINE     nothing but Go white space                 (an "empty continuation line" inside one)
 *   CONTINUED_LINE ends in the escape token plus blanks, the token itself not escaped
 *   TEXT_LINE      anything else
 * The escape token is not fixed: an `# escape=` directive changes it, so the driver sets
 * `escapeToken` between tokens and the lexer re-types TEXT_LINE into CONTINUED_LINE in emit().
 * "Blank" is Go's unicode.IsSpace minus '\n', not Java's notion of white space.
 */
lexer grammar ContainerfileLexer;

tokens { CONTINUED_LINE }

@members {
  private int escapeToken = '\\';

  /** Sets the escape token for the lines not yet read ('\\' or '`'). */
  public void setEscapeToken(int token) {
    this.escapeToken = token;
  }

  @Override
  public org.antlr.v4.runtime.Token emit() {
    if (_type == TEXT_LINE && continues(getText())) {
      _type = CONTINUED_LINE;
    }
    return super.emit();
  }

  /**
   * BuildKit's continuation rule `([^E])E[ \t]*$|^E[ \t]*$`, checked on the line without its
   * trailing CR/LF characters: an escape token, optionally followed by blanks, ends the line
   * and is not itself preceded by an escape token.
   */
  private boolean continues(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
      end--;
    }
    while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
      end--;
    }
    if (end == 0 || line.charAt(end - 1) != escapeToken) {
      return false;
    }
    return end == 1 || line.charAt(end - 2) != escapeToken;
  }
}

COMMENT_LINE : BLANK* '#' ~[\n]* NEWLINE? ;

BLANK_LINE : BLANK+ NEWLINE? | NEWLINE ;

TEXT_LINE : ~[\n]+ NEWLINE? ;

fragment NEWLINE : '\n' ;

// Go's unicode.IsSpace without '\n'.
fragment BLANK
  : [\t\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]
  ;

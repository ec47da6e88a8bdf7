package de.jobcenter.orchestrator.engine;

/** An engine host setting in whole seconds from 0 (off) to an hour, read from the environment. */
final class SecondsSetting {

  static final int MAX = 3600;

  private SecondsSetting() {}

  /** The value of {@code raw}, or {@code fallback} when unset; a readable refusal naming the variable otherwise. */
  static int parse(String variable, String raw, int fallback) {
    if (raw == null || raw.isBlank()) return fallback;
    try {
      int seconds = Integer.parseInt(raw.trim());
      if (seconds >= 0 && seconds <= MAX) return seconds;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        variable + " must be a whole number of seconds from 0 (off) to " + MAX + ", not \"" + raw + "\"");
  }
}

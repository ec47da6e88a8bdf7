package de.jobcenter.orchestrator.engine;

/** An engine host switch, on unless set to "false", read from the environment. */
final class SwitchSetting {

  private SwitchSetting() {}

  /** Whether the switch is on; a readable refusal naming the variable for anything but true, false or unset. */
  static boolean parse(String variable, String raw) {
    if (raw == null || raw.isBlank() || raw.equals("true")) return true;
    if (raw.equals("false")) return false;
    throw new IllegalArgumentException(variable + " must be true or false, not \"" + raw + "\"");
  }
}

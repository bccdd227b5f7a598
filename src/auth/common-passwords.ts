// Most common passwords, lower-cased.
export const COMMON_PASSWORDS: readonly string[] = [
  'password', '12345678', '123456789', '1234567890', 'qwertyuiop', 'password1', 'iloveyou', 'sunshine',
  'princess', 'football', 'baseball', 'welcome1', 'passwort', 'qwertz123', 'letmein1', 'abc12345',
];

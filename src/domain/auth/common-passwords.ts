/**
 * Passwords of 8 characters or more that top the public breach lists (and their French favourites), lower-cased.
 * A short list on purpose: the length rule already rules out the shorter classics; this catches the long ones people
 * still pick. Checked case-insensitively by the password policy.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  "12345678", "123456789", "1234567890", "12345678910", "123456789012", "1234567890123", "0123456789", "987654321",
  "9876543210", "11223344", "12341234", "123123123", "123123123123", "12344321", "123454321", "147258369", "159753456",
  "password", "password1", "password12", "password123", "password1234", "password12345", "password!", "password1!",
  "passw0rd", "p@ssw0rd", "p@ssword", "p@ssword123", "passwordpassword", "mypassword", "mypassword123",
  "qwertyuiop", "qwerty123", "qwerty1234", "qwerty12345", "qwerty123456", "123456qwerty", "qwertyuiop123",
  "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r5t6y", "1qaz2wsx", "1qaz2wsx3edc", "qazwsxedc", "qazwsxedc123", "zaq12wsx",
  "zaq1zaq1", "asdfghjkl", "asdfghjkl123", "zxcvbnm123", "azertyuiop", "azerty123", "azerty1234", "azerty123456",
  "abcdefgh", "abcdefghijkl", "abc12345", "abc123456", "abcd1234", "1234abcd", "a1b2c3d4", "aa123456",
  "iloveyou", "iloveyou1", "iloveyou123", "letmein1", "letmein123", "welcome1", "welcome123", "welcome1234",
  "changeme", "changeme1", "changeme123", "administrator", "admin123", "admin1234", "admin12345", "admin123456",
  "trustno1", "sunshine", "sunshine123", "princess", "princess1", "football", "football123", "baseball", "baseball123",
  "superman", "superman123", "starwars", "starwars123", "dragon123", "monkey123", "master123", "shadow123",
  "whatever", "computer", "internet", "michelle", "jennifer", "corvette", "mercedes", "mustang1", "liverpool",
  "chelsea1", "arsenal1", "pokemon123", "minecraft", "minecraft123", "motdepasse", "motdepasse1", "motdepasse123",
  "bonjour123", "soleil123", "doudou123", "chouchou", "loulou123", "marseille", "marseille13", "olympique",
  "azertyuiop123", "summer2024", "summer2025", "winter2024", "winter2025", "spring2025", "autumn2025",
  "welcome2024", "welcome2025", "welcome2026", "password2024", "password2025", "password2026",
]);

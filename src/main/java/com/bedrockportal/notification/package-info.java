/**
 * Notifications: in-app (the bell) and e-mail through a transactional outbox
 * ({@link com.bedrockportal.notification.Notifier}, {@link com.bedrockportal.notification.MailOutbox}). Without an
 * SMTP server, mails are logged and shown to admins in the outbox view.
 */
package com.bedrockportal.notification;

package dev.tributary.scheduler.alert;

import static java.util.Objects.requireNonNull;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/** Sends alerts as plain-text email through SMTP (Jakarta Mail, Eclipse Angus), with STARTTLS or SSL and auth. */
public final class EmailChannel implements AlertChannel {
    private final AlertsConfig.Email settings;
    private final Session session;
    private final InternetAddress from;
    private final InternetAddress[] to;

    public EmailChannel(AlertsConfig.Email settings) {
        this.settings = requireNonNull(settings, "settings is null");
        this.session = Session.getInstance(properties(settings.smtp()));
        try {
            this.from = new InternetAddress(settings.from(), true);
            this.to = new InternetAddress[settings.to().size()];
            for (int i = 0; i < to.length; i++) to[i] = new InternetAddress(settings.to().get(i), true);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("invalid email address: " + e.getMessage(), e);
        }
    }

    private static Properties properties(AlertsConfig.Smtp smtp) {
        Properties p = new Properties();
        String timeout = Long.toString(smtp.timeout().toMillis());
        p.setProperty("mail.transport.protocol", "smtp");
        p.setProperty("mail.smtp.host", smtp.host());
        p.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
        // Without these Jakarta Mail waits forever on a silent server and the channel's thread hangs.
        p.setProperty("mail.smtp.connectiontimeout", timeout);
        p.setProperty("mail.smtp.timeout", timeout);
        p.setProperty("mail.smtp.writetimeout", timeout);
        p.setProperty("mail.smtp.auth", Boolean.toString(smtp.user().isPresent()));
        if (smtp.starttls()) {
            p.setProperty("mail.smtp.starttls.enable", "true");
            // Refuse to send the password in clear when the server does not offer STARTTLS.
            p.setProperty("mail.smtp.starttls.required", "true");
        }
        if (smtp.ssl()) p.setProperty("mail.smtp.ssl.enable", "true");
        if (smtp.ssl() || smtp.starttls()) p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        return p;
    }

    @Override
    public String name() {
        return "email to " + String.join(", ", settings.to());
    }

    @Override
    public void send(Alert alert) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(from);
        message.setRecipients(Message.RecipientType.TO, to);
        message.setSubject(alert.headline(), StandardCharsets.UTF_8.name());
        message.setSentDate(Date.from(alert.at()));
        message.setText(body(alert), StandardCharsets.UTF_8.name());
        AlertsConfig.Smtp smtp = settings.smtp();
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect(smtp.host(), smtp.port(), smtp.user().orElse(null), smtp.password().orElse(null));
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    /** The plain-text body: the headline, the details, the full error, the link. */
    static String body(Alert alert) {
        StringBuilder sb = new StringBuilder(alert.headline()).append("\n\n");
        for (String line : alert.detailLines()) sb.append(line).append('\n');
        alert.error().ifPresent(e -> sb.append("\nError:\n").append(e.strip()).append('\n'));
        alert.url().ifPresent(u -> sb.append("\nOpen the run: ").append(u).append('\n'));
        return sb.toString();
    }

    @Override
    public String redact(String message) {
        String out = message;
        String password = settings.smtp().password().orElse("");
        if (!password.isEmpty()) out = out.replace(password, "***");
        return out;
    }
}

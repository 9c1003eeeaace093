#include "settingsdialog.h"

#include "server/core/servercontroller.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mmv::ui {

namespace {
bool isToken(Settings::Key key)
{
    return key == Settings::Key::OperatorToken || key == Settings::Key::ViewerToken;
}
} // namespace

SettingsDialog::SettingsDialog(Settings *settings, ServerController *controller, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_controller(controller)
    , m_errorLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));

    auto *form = new QFormLayout;
    for (const Settings::KeyInfo &info : Settings::keys()) {
        QWidget *editor = nullptr;
        if (info.key == Settings::Key::NoAuth) {
            editor = new QCheckBox(tr("Accept clients without a token"), this);
        } else {
            auto *edit = new QLineEdit(this);
            if (isToken(info.key))
                edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
            editor = edit;
        }
        editor->setObjectName(QStringLiteral("setting_") + info.name);
        m_editors.insert(info.key, editor);
        auto *label = new QLabel(SettingsDialog::label(info.key), this);
        label->setBuddy(editor);
        form->addRow(label, editor);
        if (m_settings->isOverridden(info.key)) {
            editor->setEnabled(false);
            label->setEnabled(false);
            const QString origin = m_settings->source(info.key) == Settings::Source::CommandLine
                ? tr("the command line (--%1)").arg(info.name)
                : tr("the environment (%1)").arg(info.environmentVariable);
            const QString tip = tr("Set from %1 for this run; it is not saved here.").arg(origin);
            editor->setToolTip(tip);
            label->setToolTip(tip);
        }
    }

    auto *regenerate = new QPushButton(tr("&Regenerate Tokens"), this);
    regenerate->setObjectName(QStringLiteral("regenerateTokensButton"));
    regenerate->setToolTip(tr("Replace both tokens with new random ones; connected clients keep "
                              "their session, new ones need the new link"));
    auto *note = new QLabel(tr("Port, bind address, data directory and Redis take effect at the "
                               "next start. Greyed out fields are set from the command line or "
                               "the environment."),
                            this);
    note->setWordWrap(true);
    m_errorLabel->setObjectName(QStringLiteral("settingsErrorLabel"));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setStyleSheet(QStringLiteral("color: #c62828;"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(regenerate, 0, Qt::AlignLeft);
    layout->addWidget(note);
    layout->addWidget(m_errorLabel);
    layout->addWidget(buttons);

    connect(regenerate, &QPushButton::clicked, this, &SettingsDialog::regenerateTokens);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    load();
    resize(qMax(560, sizeHint().width()), sizeHint().height());
}

QString SettingsDialog::label(Settings::Key key)
{
    switch (key) {
    case Settings::Key::Port:
        return tr("&Port:");
    case Settings::Key::Bind:
        return tr("&Bind address:");
    case Settings::Key::DataDir:
        return tr("&Data directory:");
    case Settings::Key::Redis:
        return tr("&Redis URL:");
    case Settings::Key::OperatorToken:
        return tr("&Operator token:");
    case Settings::Key::ViewerToken:
        return tr("&Viewer token:");
    case Settings::Key::NoAuth:
        return tr("&Authentication:");
    case Settings::Key::CorsOrigins:
        return tr("&CORS origins:");
    case Settings::Key::MaxUpload:
        return tr("&Maximum upload:");
    case Settings::Key::EventRateLimit:
        return tr("&Events per second per client:");
    case Settings::Key::ChatRateLimit:
        return tr("C&hat messages per second per client:");
    case Settings::Key::AllowedHosts:
        return tr("Other host &names:");
    case Settings::Key::Lang:
        return tr("&Language:");
    }
    return {};
}

QString SettingsDialog::toRaw(Settings::Key key, const QVariant &value)
{
    if (Settings::isList(key))
        return value.toStringList().join(QStringLiteral(", "));
    if (key == Settings::Key::NoAuth)
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return value.toString();
}

void SettingsDialog::load()
{
    for (const Settings::KeyInfo &info : Settings::keys()) {
        const QString raw = toRaw(info.key, m_settings->value(info.key));
        m_loaded.insert(info.key, raw);
        QWidget *widget = m_editors.value(info.key);
        if (auto *check = qobject_cast<QCheckBox *>(widget))
            check->setChecked(raw == u"true");
        else if (auto *edit = qobject_cast<QLineEdit *>(widget))
            edit->setText(raw);
    }
}

QString SettingsDialog::rawValue(Settings::Key key) const
{
    QWidget *widget = m_editors.value(key);
    if (auto *check = qobject_cast<QCheckBox *>(widget))
        return check->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
    if (auto *edit = qobject_cast<QLineEdit *>(widget))
        return edit->text().trimmed();
    return {};
}

bool SettingsDialog::save()
{
    m_errorLabel->clear();
    // Validate everything first so that nothing is half saved.
    for (const Settings::KeyInfo &info : Settings::keys()) {
        if (m_settings->isOverridden(info.key) || rawValue(info.key) == m_loaded.value(info.key))
            continue;
        if (const auto parsed = Settings::parse(info.key, rawValue(info.key)); !parsed) {
            m_errorLabel->setText(QStringLiteral("%1 %2").arg(
                label(info.key).remove(QLatin1Char('&')), parsed.error().message));
            m_editors.value(info.key)->setFocus();
            return false;
        }
    }
    bool tokensChanged = false;
    for (const Settings::KeyInfo &info : Settings::keys()) {
        if (m_settings->isOverridden(info.key) || rawValue(info.key) == m_loaded.value(info.key))
            continue;
        if (Status error = m_settings->store(info.key, rawValue(info.key))) {
            m_errorLabel->setText(error->message);
            return false;
        }
        tokensChanged = tokensChanged || isToken(info.key);
    }
    if (tokensChanged && m_controller)
        m_controller->setTokens(m_settings->operatorToken(), m_settings->viewerToken());
    load();
    return true;
}

void SettingsDialog::accept()
{
    if (save())
        QDialog::accept();
}

void SettingsDialog::regenerateTokens()
{
    m_settings->regenerateTokens();
    if (m_controller)
        m_controller->setTokens(m_settings->operatorToken(), m_settings->viewerToken());
    for (Settings::Key key : { Settings::Key::OperatorToken, Settings::Key::ViewerToken }) {
        const QString raw = toRaw(key, m_settings->value(key));
        m_loaded.insert(key, raw);
        if (auto *edit = qobject_cast<QLineEdit *>(m_editors.value(key)))
            edit->setText(raw);
    }
}

} // namespace mmv::ui

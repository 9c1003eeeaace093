#pragma once

#include "server/core/settings.h"

#include <QDialog>
#include <QHash>
#include <QPointer>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace mmv {
class ServerController;
}

namespace mmv::ui {

/// Edits the settings file: port, bind address, data directory, Redis URL, limits, tokens.
/// Fields set from the command line or the environment are greyed out with a tooltip that
/// says where they come from, and are never saved.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    SettingsDialog(Settings *settings, ServerController *controller, QWidget *parent = nullptr);

    /// The editor of a key (a QLineEdit, or a QCheckBox for NoAuth).
    QWidget *editor(Settings::Key key) const { return m_editors.value(key); }
    /// Raw text of every editor, in the form Settings::parse() reads.
    QString rawValue(Settings::Key key) const;
    /// Stores every changed, not overridden field; shows the first error and returns false.
    bool save();
    static QString label(Settings::Key key);

    void accept() override;

private:
    void load();
    void regenerateTokens();
    static QString toRaw(Settings::Key key, const QVariant &value);

    Settings *m_settings;
    QPointer<ServerController> m_controller;
    QHash<Settings::Key, QWidget *> m_editors;
    QHash<Settings::Key, QString> m_loaded;
    QLabel *m_errorLabel;
};

} // namespace mmv::ui

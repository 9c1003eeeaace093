#pragma once

#include <QJsonValue>
#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace mmv {
class ServerController;
}

namespace mmv::ui {

class BroadcastHistoryModel;

/// The manual broadcast form: a target (everybody, a room or one socket), an event name and
/// a JSON payload validated as it is typed, ready templates for the protocol's events, and
/// the history of what was sent with its delivered_to count.
class BroadcastView : public QWidget
{
    Q_OBJECT

public:
    enum class Target { All, Room, Socket };
    enum class Template { Custom, Notification, ProcessingStatus, VisualAnalysisResult };

    explicit BroadcastView(ServerController *controller, QWidget *parent = nullptr);

    BroadcastHistoryModel *history() const { return m_history; }

    /// Presets the form for a room (socketId empty) or a socket (room empty), or everybody.
    void setTarget(const QString &room, const QString &socketId);
    void applyTemplate(Template which);
    /// Empty when the form can be sent, otherwise why not (translated).
    QString validationError() const;
    /// Parses any JSON value (objects, arrays and scalars); an error message otherwise.
    static QJsonValue parsePayload(const QString &text, QString *error);
    static bool isReservedEvent(const QString &event);

    /// Sends the form; false (and nothing sent) when it is not valid.
    bool send();

private:
    void validate();
    void handleActionFinished(const QString &action, int delivered, const QString &error,
                              quint64 requestId);

    QPointer<ServerController> m_controller;
    BroadcastHistoryModel *m_history;
    QComboBox *m_targetKind;
    QLineEdit *m_targetEdit;
    QLineEdit *m_eventEdit;
    QComboBox *m_templateBox;
    QPlainTextEdit *m_payloadEdit;
    QLabel *m_validationLabel;
    QPushButton *m_sendButton;
    QTableView *m_historyView;
};

} // namespace mmv::ui

#pragma once

#include <QAbstractListModel>
#include <QJsonObject>

namespace mmv::ui {

/// The messages of one chat session, in the server's order (`seq`). History replaces the
/// list when a session is joined; live messages of that session are appended (duplicates by
/// id are ignored).
class ChatModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role { KindRole = Qt::UserRole + 1, AuthorRole, TextRole, SeqRole };

    explicit ChatModel(QObject *parent = nullptr);

    QString sessionId() const { return m_sessionId; }
    void setHistory(const QString &sessionId, const QList<QJsonObject> &messages);
    /// Appends a chat_message object when it belongs to the current session.
    bool appendMessage(const QJsonObject &message);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    QString m_sessionId;
    QList<QJsonObject> m_messages;
};

} // namespace mmv::ui

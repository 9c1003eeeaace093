#pragma once

#include <QAbstractListModel>
#include <QJsonObject>
#include <QSet>

namespace mmv::ui {

/// The messages of one chat session, in the server's order (`seq`). History replaces the
/// list when a session is joined; live messages of that session are appended (duplicates by
/// id are ignored). The newest MaxMessages are kept.
class ChatModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role { KindRole = Qt::UserRole + 1, AuthorRole, TextRole, SeqRole };
    static constexpr int MaxMessages = 5000;

    explicit ChatModel(QObject *parent = nullptr);

    QString sessionId() const { return m_sessionId; }
    void setHistory(const QString &sessionId, const QList<QJsonObject> &messages);
    /// Appends a chat_message object when it belongs to the current session.
    bool appendMessage(const QJsonObject &message);
    /// Appends the messages that belong to the current session; returns how many were new.
    int appendMessages(const QList<QJsonObject> &messages);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    bool insertMessage(const QJsonObject &message);
    void trim();

    QString m_sessionId;
    QList<QJsonObject> m_messages;
    QSet<QString> m_ids;
};

} // namespace mmv::ui

#include "chatmodel.h"

#include <QColor>
#include <QDateTime>
#include <QFont>
#include <QLocale>

#include <algorithm>

namespace mmv::ui {

namespace {
qint64 seqOf(const QJsonObject &message)
{
    return qint64(message.value(QStringLiteral("seq")).toDouble());
}
} // namespace

ChatModel::ChatModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void ChatModel::setHistory(const QString &sessionId, const QList<QJsonObject> &messages)
{
    beginResetModel();
    m_sessionId = sessionId;
    m_messages = messages;
    std::stable_sort(
        m_messages.begin(), m_messages.end(),
        [](const QJsonObject &a, const QJsonObject &b) { return seqOf(a) < seqOf(b); });
    if (m_messages.size() > MaxMessages)
        m_messages.remove(0, m_messages.size() - MaxMessages);
    m_ids.clear();
    for (const QJsonObject &message : std::as_const(m_messages))
        m_ids.insert(message.value(QStringLiteral("id")).toString());
    endResetModel();
}

bool ChatModel::appendMessage(const QJsonObject &message)
{
    const bool inserted = insertMessage(message);
    trim();
    return inserted;
}

int ChatModel::appendMessages(const QList<QJsonObject> &messages)
{
    int inserted = 0;
    for (const QJsonObject &message : messages)
        inserted += insertMessage(message) ? 1 : 0;
    trim();
    return inserted;
}

bool ChatModel::insertMessage(const QJsonObject &message)
{
    if (m_sessionId.isEmpty()
        || message.value(QStringLiteral("session_id")).toString() != m_sessionId)
        return false;
    const QString id = message.value(QStringLiteral("id")).toString();
    if (m_ids.contains(id))
        return false;
    // Messages arrive in order almost always; find the place from the end.
    qsizetype row = m_messages.size();
    while (row > 0 && seqOf(m_messages.at(row - 1)) > seqOf(message))
        --row;
    beginInsertRows({}, int(row), int(row));
    m_messages.insert(row, message);
    m_ids.insert(id);
    endInsertRows();
    return true;
}

void ChatModel::trim()
{
    const qsizetype excess = m_messages.size() - MaxMessages;
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, int(excess - 1));
    for (qsizetype i = 0; i < excess; ++i)
        m_ids.remove(m_messages.at(i).value(QStringLiteral("id")).toString());
    m_messages.remove(0, excess);
    endRemoveRows();
}

void ChatModel::clear()
{
    setHistory({}, {});
}

int ChatModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

QVariant ChatModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject &m = m_messages.at(index.row());
    const QJsonObject author = m.value(QStringLiteral("author")).toObject();
    const QString kind = m.value(QStringLiteral("kind")).toString();
    const QString name = author.value(QStringLiteral("name")).toString();
    switch (role) {
    case Qt::DisplayRole: {
        const QDateTime time
            = QDateTime::fromString(m.value(QStringLiteral("timestamp")).toString(), Qt::ISODate);
        return tr("[%1] %2: %3")
            .arg(QLocale().toString(time.toLocalTime().time(), QLocale::ShortFormat),
                 name.isEmpty() ? tr("(anonymous)") : name,
                 m.value(QStringLiteral("text")).toString());
    }
    case Qt::ToolTipRole:
        return tr("%1 (%2), message %3")
            .arg(name, author.value(QStringLiteral("role")).toString())
            .arg(seqOf(m));
    case Qt::FontRole:
        if (kind == u"operator" || kind == u"system") {
            QFont font;
            font.setBold(kind == u"operator");
            font.setItalic(kind == u"system");
            return font;
        }
        return {};
    case KindRole:
        return kind;
    case AuthorRole:
        return name;
    case TextRole:
        return m.value(QStringLiteral("text")).toString();
    case SeqRole:
        return seqOf(m);
    default:
        return {};
    }
}

} // namespace mmv::ui

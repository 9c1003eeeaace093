<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>UiText</name>
    <message>
        <location filename="../ui/uitext.cpp" line="11"/>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="13"/>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="15"/>
        <source>Listening</source>
        <translation>Empfangsbereit</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="17"/>
        <source>Stopping…</source>
        <translation>Wird beendet…</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="19"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="36"/>
        <source>%1 d %2</source>
        <extracomment>Uptime of more than a day: %1 is the number of days, %2 is hh:mm:ss.</extracomment>
        <translation>%1 T %2</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="44"/>
        <source>All interfaces (IPv4 and IPv6)</source>
        <translation>Alle Schnittstellen (IPv4 und IPv6)</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="46"/>
        <source>All IPv4 interfaces (0.0.0.0)</source>
        <translation>Alle IPv4-Schnittstellen (0.0.0.0)</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="48"/>
        <source>All IPv6 interfaces (::)</source>
        <translation>Alle IPv6-Schnittstellen (::)</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="50"/>
        <source>%1 (this computer only)</source>
        <translation>%1 (nur dieser Computer)</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="57"/>
        <source>Embedded (files in the data directory)</source>
        <translation>Eingebettet (Dateien im Datenverzeichnis)</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="59"/>
        <source>Redis</source>
        <translation>Redis</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="67"/>
        <source>Debug</source>
        <translation>Debug</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="69"/>
        <source>Info</source>
        <translation>Info</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="71"/>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="73"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../ui/uitext.cpp" line="75"/>
        <source>Fatal</source>
        <translation>Schwerwiegend</translation>
    </message>
</context>
<context>
    <name>mmv::ui::BroadcastHistoryModel</name>
    <message>
        <location filename="../ui/models/broadcasthistorymodel.cpp" line="74"/>
        <source>Socket %1</source>
        <translation>Socket %1</translation>
    </message>
    <message>
        <location filename="../ui/models/broadcasthistorymodel.cpp" line="76"/>
        <source>Room %1</source>
        <translation>Raum %1</translation>
    </message>
    <message>
        <location filename="../ui/models/broadcasthistorymodel.cpp" line="77"/>
        <source>Everybody</source>
        <translation>Alle</translation>
    </message>
    <message>
        <location filename="../ui/models/broadcasthistorymodel.cpp" line="82"/>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <location filename="../ui/models/broadcasthistorymodel.cpp" line="83"/>
        <source>sending…</source>
        <translation>wird gesendet…</translation>
    </message>
    <message>
        <location filename="../ui/models/broadcasthistorymodel.cpp" line="98"/>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <location filename="../ui/models/broadcasthistorymodel.cpp" line="100"/>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location filename="../ui/models/broadcasthistorymodel.cpp" line="102"/>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <location filename="../ui/models/broadcasthistorymodel.cpp" line="104"/>
        <source>Delivered to</source>
        <translation>Zugestellt an</translation>
    </message>
    <message>
        <location filename="../ui/models/broadcasthistorymodel.cpp" line="106"/>
        <source>Payload</source>
        <translation>Nutzdaten</translation>
    </message>
</context>
<context>
    <name>mmv::ui::BroadcastView</name>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="51"/>
        <source>&amp;Send</source>
        <translation>&amp;Senden</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="58"/>
        <source>Everybody</source>
        <translation>Alle</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="59"/>
        <source>Room</source>
        <translation>Raum</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="60"/>
        <source>Socket</source>
        <translation>Socket</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="61"/>
        <source>Who receives the event</source>
        <translation>Wer das Ereignis erhält</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="63"/>
        <source>The room name or the socket id</source>
        <translation>Der Raumname oder die Socket-ID</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="65"/>
        <source>Event name, e.g. notification</source>
        <translation>Ereignisname, z. B. notification</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="66"/>
        <source>The Socket.IO event name the clients receive</source>
        <translation>Der Socket.IO-Ereignisname, den die Clients erhalten</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="68"/>
        <source>Custom</source>
        <translation>Eigenes</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="72"/>
        <source>Fill the form with a ready event of the protocol</source>
        <translation>Das Formular mit einem fertigen Ereignis des Protokolls füllen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="76"/>
        <source>Any JSON value: an object, an array, a string, a number…</source>
        <translation>Ein beliebiger JSON-Wert: Objekt, Array, Zeichenkette, Zahl…</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="81"/>
        <source>Send the event (Ctrl+Enter)</source>
        <translation>Ereignis senden (Strg+Eingabe)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="100"/>
        <source>Template:</source>
        <translation>Vorlage:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="103"/>
        <source>New broadcast</source>
        <translation>Neue Sendung</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="105"/>
        <source>&amp;Target:</source>
        <translation>&amp;Ziel:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="106"/>
        <source>&amp;Event:</source>
        <translation>&amp;Ereignis:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="107"/>
        <source>&amp;Payload:</source>
        <translation>&amp;Nutzdaten:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="120"/>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="179"/>
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="180"/>
        <source>The operator says hello.</source>
        <translation>Der Operator grüßt.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="232"/>
        <source>Only one JSON value is allowed</source>
        <translation>Nur ein JSON-Wert ist erlaubt</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="239"/>
        <source>Invalid JSON at line %1, column %2: %3</source>
        <translation>Ungültiges JSON in Zeile %1, Spalte %2: %3</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="254"/>
        <source>Enter an event name</source>
        <translation>Einen Ereignisnamen eingeben</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="256"/>
        <source>&quot;%1&quot; is reserved by Socket.IO</source>
        <translation>„%1“ ist von Socket.IO reserviert</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="259"/>
        <source>Enter the room</source>
        <translation>Den Raum eingeben</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="261"/>
        <source>Enter the socket id</source>
        <translation>Die Socket-ID eingeben</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="274"/>
        <source>Room name</source>
        <translation>Raumname</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="275"/>
        <source>Socket id</source>
        <translation>Socket-ID</translation>
    </message>
    <message>
        <location filename="../ui/widgets/broadcastview.cpp" line="279"/>
        <source>Ready to send.</source>
        <translation>Bereit zum Senden.</translation>
    </message>
</context>
<context>
    <name>mmv::ui::ChatModel</name>
    <message>
        <location filename="../ui/models/chatmodel.cpp" line="108"/>
        <source>[%1] %2: %3</source>
        <translation>[%1] %2: %3</translation>
    </message>
    <message>
        <location filename="../ui/models/chatmodel.cpp" line="110"/>
        <source>(anonymous)</source>
        <translation>(anonym)</translation>
    </message>
    <message>
        <location filename="../ui/models/chatmodel.cpp" line="114"/>
        <source>%1 (%2), message %3</source>
        <translation>%1 (%2), Nachricht %3</translation>
    </message>
</context>
<context>
    <name>mmv::ui::ChatView</name>
    <message>
        <location filename="../ui/widgets/chatview.cpp" line="27"/>
        <source>&amp;Join</source>
        <translation>&amp;Beitreten</translation>
    </message>
    <message>
        <location filename="../ui/widgets/chatview.cpp" line="32"/>
        <source>&amp;Post</source>
        <translation>&amp;Senden</translation>
    </message>
    <message>
        <location filename="../ui/widgets/chatview.cpp" line="37"/>
        <source>Session id, e.g. lobby</source>
        <translation>Sitzungs-ID, z. B. lobby</translation>
    </message>
    <message>
        <location filename="../ui/widgets/chatview.cpp" line="38"/>
        <source>1 to 128 characters: letters, digits, _ . -</source>
        <translation>1 bis 128 Zeichen: Buchstaben, Ziffern, _ . -</translation>
    </message>
    <message>
        <location filename="../ui/widgets/chatview.cpp" line="42"/>
        <source>Load the session&apos;s history and follow it</source>
        <translation>Den Verlauf der Sitzung laden und ihr folgen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/chatview.cpp" line="51"/>
        <source>Message as the operator</source>
        <translation>Nachricht als Operator</translation>
    </message>
    <message>
        <location filename="../ui/widgets/chatview.cpp" line="54"/>
        <source>Post the message to everybody in the session</source>
        <translation>Die Nachricht an alle in der Sitzung senden</translation>
    </message>
    <message>
        <location filename="../ui/widgets/chatview.cpp" line="57"/>
        <source>Session:</source>
        <translation>Sitzung:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/chatview.cpp" line="62"/>
        <source>In the session</source>
        <translation>In der Sitzung</translation>
    </message>
    <message>
        <location filename="../ui/widgets/chatview.cpp" line="110"/>
        <source>Joining %1…</source>
        <translation>Trete %1 bei…</translation>
    </message>
    <message>
        <location filename="../ui/widgets/chatview.cpp" line="147"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/chatview.cpp" line="175"/>
        <source>Not in a session</source>
        <translation>In keiner Sitzung</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/chatview.cpp" line="176"/>
        <source>In %1 · %n message(s)</source>
        <translation>
            <numerusform>In %1 · %n Nachricht</numerusform>
            <numerusform>In %1 · %n Nachrichten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mmv::ui::ColumnChooser</name>
    <message>
        <location filename="../ui/widgets/columnchooser.cpp" line="51"/>
        <source>Default Columns</source>
        <translation>Standardspalten</translation>
    </message>
</context>
<context>
    <name>mmv::ui::ConnectionModel</name>
    <message>
        <location filename="../ui/models/connectionmodel.cpp" line="95"/>
        <source>Socket ID</source>
        <translation>Socket-ID</translation>
    </message>
    <message>
        <location filename="../ui/models/connectionmodel.cpp" line="97"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../ui/models/connectionmodel.cpp" line="99"/>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <location filename="../ui/models/connectionmodel.cpp" line="101"/>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../ui/models/connectionmodel.cpp" line="103"/>
        <source>Transport</source>
        <translation>Transport</translation>
    </message>
    <message>
        <location filename="../ui/models/connectionmodel.cpp" line="105"/>
        <source>User agent</source>
        <translation>User-Agent</translation>
    </message>
    <message>
        <location filename="../ui/models/connectionmodel.cpp" line="107"/>
        <source>Connected since</source>
        <translation>Verbunden seit</translation>
    </message>
    <message>
        <location filename="../ui/models/connectionmodel.cpp" line="109"/>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <location filename="../ui/models/connectionmodel.cpp" line="111"/>
        <source>Msgs in</source>
        <translation>Nachr. ein</translation>
    </message>
    <message>
        <location filename="../ui/models/connectionmodel.cpp" line="113"/>
        <source>Msgs out</source>
        <translation>Nachr. aus</translation>
    </message>
    <message>
        <location filename="../ui/models/connectionmodel.cpp" line="115"/>
        <source>Bytes in</source>
        <translation>Bytes ein</translation>
    </message>
    <message>
        <location filename="../ui/models/connectionmodel.cpp" line="117"/>
        <source>Bytes out</source>
        <translation>Bytes aus</translation>
    </message>
</context>
<context>
    <name>mmv::ui::ConnectionsView</name>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="37"/>
        <source>&amp;Disconnect</source>
        <translation>&amp;Trennen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="38"/>
        <source>&amp;Send Event…</source>
        <translation>Ereignis &amp;senden…</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="39"/>
        <source>&amp;Join Room…</source>
        <translation>Raum &amp;beitreten…</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="40"/>
        <source>&amp;Leave Room…</source>
        <translation>Raum &amp;verlassen…</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="55"/>
        <source>Filter by id, name, address, room…</source>
        <translation>Nach ID, Name, Adresse, Raum filtern…</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="57"/>
        <source>Shows only the connections with this text in any column</source>
        <translation>Zeigt nur die Verbindungen mit diesem Text in einer Spalte</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="61"/>
        <source>Close the selected connection</source>
        <translation>Die ausgewählte Verbindung schließen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="63"/>
        <source>Compose an event for the selected connection</source>
        <translation>Ein Ereignis für die ausgewählte Verbindung verfassen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="65"/>
        <source>Put the selected connection into a room</source>
        <translation>Die ausgewählte Verbindung in einen Raum aufnehmen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="67"/>
        <source>Take the selected connection out of one of its rooms</source>
        <translation>Die ausgewählte Verbindung aus einem ihrer Räume nehmen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="137"/>
        <source>Selected connection</source>
        <translation>Ausgewählte Verbindung</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/connectionsview.cpp" line="212"/>
        <source>%n connection(s)</source>
        <translation>
            <numerusform>%n Verbindung</numerusform>
            <numerusform>%n Verbindungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/connectionsview.cpp" line="213"/>
        <source>%1 of %n connection(s)</source>
        <translation>
            <numerusform>%1 von %n Verbindung</numerusform>
            <numerusform>%1 von %n Verbindungen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="225"/>
        <source>Select a connection to see its details.</source>
        <translation>Eine Verbindung auswählen, um ihre Details zu sehen.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="249"/>
        <source>Socket ID</source>
        <translation>Socket-ID</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="250"/>
        <source>Engine session</source>
        <translation>Engine-Sitzung</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="251"/>
        <source>Namespace</source>
        <translation>Namensraum</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/connectionsview.cpp" line="294"/>
        <source>Request headers (%n)</source>
        <translation>
            <numerusform>Anfrage-Header (%n)</numerusform>
            <numerusform>Anfrage-Header (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/connectionsview.cpp" line="303"/>
        <source>Query (%n)</source>
        <translation>
            <numerusform>Query-Parameter (%n)</numerusform>
            <numerusform>Query-Parameter (%n)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="120"/>
        <location filename="../ui/widgets/connectionsview.cpp" line="252"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="117"/>
        <source>The rooms this connection is in</source>
        <translation>Die Räume, in denen diese Verbindung ist</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="120"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="126"/>
        <source>The request that opened the connection; tokens and cookies are not shown</source>
        <translation>Die Anfrage, die die Verbindung geöffnet hat; Tokens und Cookies werden nicht gezeigt</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="140"/>
        <source>Roo&amp;ms:</source>
        <translation>Rä&amp;ume:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="144"/>
        <source>Handsha&amp;ke:</source>
        <translation>Handsha&amp;ke:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="237"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="253"/>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="255"/>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="258"/>
        <source>Transport</source>
        <translation>Transport</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="259"/>
        <source>User agent</source>
        <translation>User-Agent</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="260"/>
        <source>Connected since</source>
        <translation>Verbunden seit</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="263"/>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="264"/>
        <location filename="../ui/widgets/connectionsview.cpp" line="267"/>
        <source>%1 in, %2 out</source>
        <translation>%1 ein, %2 aus</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="266"/>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="288"/>
        <source>The connection is gone.</source>
        <translation>Die Verbindung besteht nicht mehr.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="321"/>
        <source>Disconnect</source>
        <translation>Trennen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="321"/>
        <source>Disconnect the connection %1?</source>
        <translation>Die Verbindung %1 trennen?</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="333"/>
        <source>Join Room</source>
        <translation>Raum beitreten</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="333"/>
        <source>Room for %1:</source>
        <translation>Raum für %1:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="351"/>
        <source>Leave Room</source>
        <translation>Raum verlassen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/connectionsview.cpp" line="351"/>
        <source>Room that %1 leaves:</source>
        <translation>Raum, den %1 verlässt:</translation>
    </message>
</context>
<context>
    <name>mmv::ui::EventModel</name>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="232"/>
        <source>A reply to a request that is not in the list</source>
        <translation>Eine Antwort auf eine Anfrage, die nicht in der Liste ist</translation>
    </message>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="233"/>
        <source>The reply to request #%1, %2 ms after it</source>
        <translation>Die Antwort auf Anfrage #%1, %2 ms danach</translation>
    </message>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="237"/>
        <source>Asks for a reply; none has come yet</source>
        <translation>Erwartet eine Antwort; noch keine eingetroffen</translation>
    </message>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="238"/>
        <source>Answered by its ack after %1 ms</source>
        <translation>Nach %1 ms mit einem Ack beantwortet</translation>
    </message>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="253"/>
        <source>in</source>
        <translation>ein</translation>
    </message>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="253"/>
        <source>out</source>
        <translation>aus</translation>
    </message>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="258"/>
        <source>%1 #%2 (%3 ms)</source>
        <translation>%1 #%2 (%3 ms)</translation>
    </message>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="259"/>
        <source>%1 #%2 ✓ %3 ms</source>
        <translation>%1 #%2 ✓ %3 ms</translation>
    </message>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="261"/>
        <source>%1 #%2</source>
        <translation>%1 #%2</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/models/eventmodel.cpp" line="267"/>
        <source>%n recipient(s)</source>
        <translation>
            <numerusform>%n Empfänger</numerusform>
            <numerusform>%n Empfänger</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/models/eventmodel.cpp" line="272"/>
        <source>%1 + %n attachment(s)</source>
        <translation>
            <numerusform>%1 + %n Anhang</numerusform>
            <numerusform>%1 + %n Anhänge</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="291"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="293"/>
        <source>Dir.</source>
        <translation>Richt.</translation>
    </message>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="295"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="297"/>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="299"/>
        <source>Socket</source>
        <translation>Socket</translation>
    </message>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="301"/>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="303"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location filename="../ui/models/eventmodel.cpp" line="305"/>
        <source>Payload</source>
        <translation>Nutzdaten</translation>
    </message>
</context>
<context>
    <name>mmv::ui::EventStreamView</name>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="49"/>
        <location filename="../ui/widgets/eventstreamview.cpp" line="243"/>
        <source>&amp;Pause</source>
        <translation>&amp;Anhalten</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="50"/>
        <source>C&amp;lear</source>
        <translation>&amp;Leeren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="51"/>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="52"/>
        <source>E&amp;xport…</source>
        <translation>E&amp;xportieren…</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="53"/>
        <source>&amp;Go to Pair</source>
        <translation>&amp;Gegenstück zeigen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="66"/>
        <source>In and out</source>
        <translation>Ein und aus</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="67"/>
        <source>In only</source>
        <translation>Nur ein</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="68"/>
        <source>Out only</source>
        <translation>Nur aus</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="69"/>
        <source>Packets received from clients, sent to them, or both</source>
        <translation>Von Clients empfangene Pakete, an sie gesendete oder beide</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="71"/>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="72"/>
        <source>Room</source>
        <translation>Raum</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="73"/>
        <source>Socket</source>
        <translation>Socket</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="74"/>
        <source>Text in payload</source>
        <translation>Text in den Nutzdaten</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="82"/>
        <source>Shows only the packets that contain this text here</source>
        <translation>Zeigt nur die Pakete, die hier diesen Text enthalten</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="87"/>
        <source>Freeze the list; packets arriving meanwhile are kept and shown on resume</source>
        <translation>Liste anhalten; inzwischen eintreffende Pakete bleiben erhalten und erscheinen beim Fortsetzen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="89"/>
        <source>Remove every packet from the list</source>
        <translation>Alle Pakete aus der Liste entfernen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="91"/>
        <source>Copy the selected packets as JSON Lines</source>
        <translation>Die ausgewählten Pakete als JSON Lines kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="93"/>
        <source>Save the packets the filter shows as JSON Lines</source>
        <translation>Die vom Filter gezeigten Pakete als JSON Lines speichern</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="95"/>
        <source>Select the reply of this request, or the request of this reply</source>
        <translation>Die Antwort auf diese Anfrage bzw. die Anfrage zu dieser Antwort auswählen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="99"/>
        <source>Packets shown and recorded, and the packet rate. Under heavy load the server records only part of the packets for this list (the rest are counted as not recorded); the chart&apos;s rates come from the server&apos;s counters and include them.</source>
        <translation>Angezeigte und aufgezeichnete Pakete und die Paketrate. Unter hoher Last zeichnet der Server nur einen Teil der Pakete für diese Liste auf (der Rest wird als nicht aufgezeichnet gezählt); die Raten im Diagramm stammen aus den Zählern des Servers und schließen sie ein.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="103"/>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="104"/>
        <source>In/s</source>
        <translation>Ein/s</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="105"/>
        <source>Out/s</source>
        <translation>Aus/s</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="129"/>
        <source>Select a packet to inspect its payload.</source>
        <translation>Ein Paket auswählen, um seine Nutzdaten zu prüfen.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="243"/>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="264"/>
        <source>Shown %1 of %2 · total in %3, out %4 · %5 in/s, %6 out/s</source>
        <translation>%1 von %2 angezeigt · gesamt ein %3, aus %4 · %5 ein/s, %6 aus/s</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="269"/>
        <source>%1 not recorded</source>
        <translation>%1 nicht aufgezeichnet</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/eventstreamview.cpp" line="271"/>
        <source>paused, %n waiting</source>
        <translation>
            <numerusform>angehalten, %n wartet</numerusform>
            <numerusform>angehalten, %n warten</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="301"/>
        <location filename="../ui/widgets/eventstreamview.cpp" line="332"/>
        <source>Time: %1</source>
        <translation>Zeit: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="302"/>
        <source>Direction: %1</source>
        <translation>Richtung: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="303"/>
        <source>in</source>
        <translation>ein</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="303"/>
        <source>out</source>
        <translation>aus</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="304"/>
        <location filename="../ui/widgets/eventstreamview.cpp" line="333"/>
        <source>Type: %1</source>
        <translation>Typ: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="306"/>
        <location filename="../ui/widgets/eventstreamview.cpp" line="335"/>
        <source>Event: %1</source>
        <translation>Ereignis: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="308"/>
        <source>Ack id: %1</source>
        <translation>Ack-ID: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="309"/>
        <source>Namespace: %1</source>
        <translation>Namensraum: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="310"/>
        <source>Socket: %1</source>
        <translation>Socket: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="312"/>
        <source>Rooms: %1</source>
        <translation>Räume: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="313"/>
        <source>Recipients: %1</source>
        <translation>Empfänger: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/eventstreamview.cpp" line="314"/>
        <location filename="../ui/widgets/eventstreamview.cpp" line="336"/>
        <source>Size: %1 text, %n binary attachment(s)</source>
        <translation>
            <numerusform>Größe: %1 Text, %n binärer Anhang</numerusform>
            <numerusform>Größe: %1 Text, %n binäre Anhänge</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="325"/>
        <source>Its pair has left the list.</source>
        <translation>Das Gegenstück ist nicht mehr in der Liste.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="326"/>
        <source>Its request is not in the list.</source>
        <translation>Die Anfrage dazu ist nicht in der Liste.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="327"/>
        <source>No reply yet.</source>
        <translation>Noch keine Antwort.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="330"/>
        <source>── Request, %1 ms before ──</source>
        <translation>── Anfrage, %1 ms vorher ──</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="330"/>
        <source>── Reply, %1 ms later ──</source>
        <translation>── Antwort, %1 ms später ──</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="368"/>
        <location filename="../ui/widgets/eventstreamview.cpp" line="378"/>
        <source>Export Event Stream</source>
        <translation>Ereignisstrom exportieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="370"/>
        <source>JSON Lines (*.jsonl);;All files (*)</source>
        <translation>JSON Lines (*.jsonl);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/eventstreamview.cpp" line="379"/>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>mmv::ui::LogModel</name>
    <message>
        <location filename="../ui/models/logmodel.cpp" line="122"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location filename="../ui/models/logmodel.cpp" line="124"/>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <location filename="../ui/models/logmodel.cpp" line="126"/>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <location filename="../ui/models/logmodel.cpp" line="128"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>mmv::ui::LogPanel</name>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="37"/>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="48"/>
        <source>Warnings and errors</source>
        <translation>Warnungen und Fehler</translation>
    </message>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="49"/>
        <source>Errors only</source>
        <translation>Nur Fehler</translation>
    </message>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="51"/>
        <source>Filter by category or message</source>
        <translation>Nach Kategorie oder Meldung filtern</translation>
    </message>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="54"/>
        <source>Remove every line from the log view</source>
        <translation>Alle Zeilen aus der Protokollansicht entfernen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="97"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="104"/>
        <source>&amp;Show:</source>
        <translation>&amp;Anzeigen:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="180"/>
        <source>No warnings or errors so far.</source>
        <translation>Bisher keine Warnungen oder Fehler.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/logpanel.cpp" line="181"/>
        <source>No lines match the filter.</source>
        <translation>Keine Zeile passt zum Filter.</translation>
    </message>
</context>
<context>
    <name>mmv::ui::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="69"/>
        <source>MultiModelVideo — Operator Console</source>
        <translation>MultiModelVideo — Bedienkonsole</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="85"/>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="98"/>
        <source>&amp;Overview</source>
        <translation>Ü&amp;bersicht</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="99"/>
        <source>&amp;Connections</source>
        <translation>&amp;Verbindungen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="100"/>
        <source>&amp;Rooms</source>
        <translation>&amp;Räume</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="101"/>
        <source>&amp;Events</source>
        <translation>&amp;Ereignisse</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="102"/>
        <source>&amp;Broadcast</source>
        <translation>&amp;Senden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="103"/>
        <source>V&amp;ideos</source>
        <translation>V&amp;ideos</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="104"/>
        <source>Ch&amp;at</source>
        <translation>Ch&amp;at</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="105"/>
        <source>Server status, connect info and the log</source>
        <translation>Serverstatus, Verbindungsdaten und Protokoll</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="106"/>
        <source>Every live connection and what it did</source>
        <translation>Jede aktive Verbindung und was sie getan hat</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="107"/>
        <source>Rooms and their members</source>
        <translation>Räume und ihre Mitglieder</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="108"/>
        <source>Every packet in and out, live</source>
        <translation>Jedes Paket ein und aus, live</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="109"/>
        <source>Send an event to everybody, a room or one socket</source>
        <translation>Ein Ereignis an alle, einen Raum oder einen Socket senden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="110"/>
        <source>The video library and analysis results</source>
        <translation>Die Videobibliothek und Analyseergebnisse</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="111"/>
        <source>Chat sessions as the operator</source>
        <translation>Chatsitzungen als Operator</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="157"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="160"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="166"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="171"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="173"/>
        <source>&amp;Clear Log</source>
        <translation>Protokoll &amp;leeren</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="177"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="180"/>
        <source>&amp;About MultiModelVideo</source>
        <translation>Ü&amp;ber MultiModelVideo</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="183"/>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="199"/>
        <source>Socket.IO packets received from and sent to clients per second</source>
        <translation>Socket.IO-Pakete pro Sekunde, von Clients empfangen und an sie gesendet</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="266"/>
        <source>Address: %1</source>
        <translation>Adresse: %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="270"/>
        <source>Messages/s: %1 in, %2 out</source>
        <translation>Nachrichten/s: %1 ein, %2 aus</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="273"/>
        <source>Messages/s: %1</source>
        <translation>Nachrichten/s: %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="275"/>
        <source>Connections: %1</source>
        <translation>Verbindungen: %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="278"/>
        <source>Uptime: %1</source>
        <translation>Laufzeit: %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="280"/>
        <source>Storage: %1</source>
        <translation>Speicher: %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="284"/>
        <source>%1 (%2)</source>
        <comment>storage (Redis state)</comment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="286"/>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="287"/>
        <source>down</source>
        <translation>nicht erreichbar</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="294"/>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/mainwindow.cpp" line="296"/>
        <source>Event delivered to %n client(s)</source>
        <translation>
            <numerusform>Ereignis an %n Client zugestellt</numerusform>
            <numerusform>Ereignis an %n Clients zugestellt</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="298"/>
        <source>%1: done</source>
        <translation>%1: erledigt</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="329"/>
        <source>About MultiModelVideo</source>
        <translation>Über MultiModelVideo</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="330"/>
        <source>&lt;h3&gt;MultiModelVideo %1&lt;/h3&gt;&lt;p&gt;A video library and analysis server with a real-time Socket.IO interface for browsers on the local network.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;MultiModelVideo %1&lt;/h3&gt;&lt;p&gt;Ein Server für Videobibliothek und Videoanalyse mit einer Echtzeit-Socket.IO-Schnittstelle für Browser im lokalen Netzwerk.&lt;/p&gt;&lt;p&gt;Erstellt mit Qt %2.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>mmv::ui::RoomModel</name>
    <message>
        <location filename="../ui/models/roommodel.cpp" line="44"/>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <location filename="../ui/models/roommodel.cpp" line="46"/>
        <source>Processing</source>
        <translation>Verarbeitung</translation>
    </message>
    <message>
        <location filename="../ui/models/roommodel.cpp" line="48"/>
        <source>Visual analysis</source>
        <translation>Bildanalyse</translation>
    </message>
    <message>
        <location filename="../ui/models/roommodel.cpp" line="49"/>
        <source>Other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <location filename="../ui/models/roommodel.cpp" line="68"/>
        <source>Room</source>
        <translation>Raum</translation>
    </message>
    <message>
        <location filename="../ui/models/roommodel.cpp" line="70"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location filename="../ui/models/roommodel.cpp" line="72"/>
        <source>Namespace</source>
        <translation>Namensraum</translation>
    </message>
    <message>
        <location filename="../ui/models/roommodel.cpp" line="74"/>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
</context>
<context>
    <name>mmv::ui::RoomsView</name>
    <message>
        <location filename="../ui/widgets/roomsview.cpp" line="32"/>
        <source>&amp;Emit to Room…</source>
        <translation>An Raum &amp;senden…</translation>
    </message>
    <message>
        <location filename="../ui/widgets/roomsview.cpp" line="33"/>
        <source>E&amp;mpty Room</source>
        <translation>Raum &amp;leeren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/roomsview.cpp" line="44"/>
        <source>Filter rooms</source>
        <translation>Räume filtern</translation>
    </message>
    <message>
        <location filename="../ui/widgets/roomsview.cpp" line="47"/>
        <source>Compose an event for every member of the selected room</source>
        <translation>Ein Ereignis für alle Mitglieder des ausgewählten Raums verfassen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/roomsview.cpp" line="49"/>
        <source>Take every member out of the selected room</source>
        <translation>Alle Mitglieder aus dem ausgewählten Raum nehmen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/roomsview.cpp" line="121"/>
        <source>Select a room to see its members.</source>
        <translation>Einen Raum auswählen, um seine Mitglieder zu sehen.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/roomsview.cpp" line="128"/>
        <source>%1 (%2, %3)</source>
        <translation>%1 (%2, %3)</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/roomsview.cpp" line="131"/>
        <source>Members of %1: %n</source>
        <translation>
            <numerusform>Mitglieder von %1: %n</numerusform>
            <numerusform>Mitglieder von %1: %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/roomsview.cpp" line="154"/>
        <source>Empty Room</source>
        <translation>Raum leeren</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/roomsview.cpp" line="155"/>
        <source>Take %n connection(s) out of the room %1?</source>
        <translation>
            <numerusform>%n Verbindung aus dem Raum %1 nehmen?</numerusform>
            <numerusform>%n Verbindungen aus dem Raum %1 nehmen?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mmv::ui::ServerPanel</name>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="43"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="50"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="51"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="52"/>
        <source>Copy URL</source>
        <translation>URL kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="53"/>
        <source>Open in Browser</source>
        <translation>Im Browser öffnen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="80"/>
        <source>Double-click to open a URL in the browser; right-click to copy it.</source>
        <translation>Doppelklick öffnet eine URL im Browser, Rechtsklick kopiert sie.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="88"/>
        <source>Copy the selected URL to the clipboard</source>
        <translation>Ausgewählte URL in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="90"/>
        <source>Open the selected URL in the web browser</source>
        <translation>Ausgewählte URL im Webbrowser öffnen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="102"/>
        <source>Status:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="104"/>
        <source>Address:</source>
        <translation>Adresse:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="105"/>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="106"/>
        <source>URLs:</source>
        <translation>URLs:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="107"/>
        <source>Storage:</source>
        <translation>Speicher:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="108"/>
        <source>Data directory:</source>
        <translation>Datenverzeichnis:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="109"/>
        <source>Uptime:</source>
        <translation>Laufzeit:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="110"/>
        <source>Connections:</source>
        <translation>Verbindungen:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="111"/>
        <source>Requests:</source>
        <translation>Anfragen:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="112"/>
        <source>Traffic:</source>
        <translation>Datenverkehr:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="139"/>
        <source>%1 (configured)</source>
        <translation>%1 (konfiguriert)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="141"/>
        <source>any free port</source>
        <translation>beliebiger freier Port</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="156"/>
        <source>%1 at %2</source>
        <translation>%1 auf %2</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="171"/>
        <source>%1 live clients, %2 HTTP connections</source>
        <translation>%1 Live-Clients, %2 HTTP-Verbindungen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="177"/>
        <source>%1 received, %2 sent</source>
        <translation>%1 empfangen, %2 gesendet</translation>
    </message>
    <message>
        <location filename="../ui/widgets/serverpanel.cpp" line="210"/>
        <source>URL copied to the clipboard: %1</source>
        <translation>URL in die Zwischenablage kopiert: %1</translation>
    </message>
</context>
<context>
    <name>mmv::ui::SettingsDialog</name>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="30"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="36"/>
        <source>Accept clients without a token</source>
        <translation>Clients ohne Token zulassen</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="52"/>
        <source>the command line (--%1)</source>
        <translation>der Befehlszeile (--%1)</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="53"/>
        <source>the environment (%1)</source>
        <translation>der Umgebung (%1)</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="54"/>
        <source>Set from %1 for this run; it is not saved here.</source>
        <translation>Für diesen Lauf aus %1 gesetzt; wird hier nicht gespeichert.</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="60"/>
        <source>&amp;Regenerate Tokens</source>
        <translation>Token &amp;neu erzeugen</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="62"/>
        <source>Replace both tokens with new random ones; connected clients keep their session, new ones need the new link</source>
        <translation>Beide Token durch neue zufällige ersetzen; verbundene Clients behalten ihre Sitzung, neue brauchen den neuen Link</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="64"/>
        <source>Port, bind address, data directory and Redis take effect at the next start. Greyed out fields are set from the command line or the environment.</source>
        <translation>Port, Bindungsadresse, Datenverzeichnis und Redis gelten ab dem nächsten Start. Ausgegraute Felder sind über die Befehlszeile oder die Umgebung gesetzt.</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="92"/>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="94"/>
        <source>&amp;Bind address:</source>
        <translation>&amp;Bindungsadresse:</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="96"/>
        <source>&amp;Data directory:</source>
        <translation>&amp;Datenverzeichnis:</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="98"/>
        <source>&amp;Redis URL:</source>
        <translation>&amp;Redis-URL:</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="100"/>
        <source>&amp;Operator token:</source>
        <translation>&amp;Operator-Token:</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="102"/>
        <source>&amp;Viewer token:</source>
        <translation>&amp;Zuschauer-Token:</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="104"/>
        <source>&amp;Authentication:</source>
        <translation>&amp;Authentifizierung:</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="106"/>
        <source>&amp;CORS origins:</source>
        <translation>&amp;CORS-Ursprünge:</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="108"/>
        <source>&amp;Maximum upload:</source>
        <translation>&amp;Maximaler Upload:</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="110"/>
        <source>&amp;Events per second per client:</source>
        <translation>&amp;Ereignisse pro Sekunde je Client:</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="112"/>
        <source>C&amp;hat messages per second per client:</source>
        <translation>C&amp;hat-Nachrichten pro Sekunde je Client:</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="114"/>
        <source>Other host &amp;names:</source>
        <translation>Weitere Host-&amp;Namen:</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settingsdialog.cpp" line="116"/>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
</context>
<context>
    <name>mmv::ui::ShotModel</name>
    <message>
        <location filename="../ui/models/shotmodel.cpp" line="110"/>
        <source>Shot %1 · %2</source>
        <translation>Einstellung %1 · %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/models/shotmodel.cpp" line="112"/>
        <source>%n face(s)</source>
        <translation>
            <numerusform>%n Gesicht</numerusform>
            <numerusform>%n Gesichter</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/models/shotmodel.cpp" line="113"/>
        <source>%n person(s)</source>
        <translation>
            <numerusform>%n Person</numerusform>
            <numerusform>%n Personen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/models/shotmodel.cpp" line="117"/>
        <source>Shot %1: %2 – %3, %4</source>
        <translation>Einstellung %1: %2 – %3, %4</translation>
    </message>
    <message>
        <location filename="../ui/models/shotmodel.cpp" line="119"/>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <location filename="../ui/models/shotmodel.cpp" line="120"/>
        <source>no transition</source>
        <translation>kein Übergang</translation>
    </message>
</context>
<context>
    <name>mmv::ui::ShotTimeline</name>
    <message>
        <location filename="../ui/widgets/shottimeline.cpp" line="14"/>
        <source>Shots of the video; a dot marks faces or people</source>
        <translation>Einstellungen des Videos; ein Punkt markiert Gesichter oder Personen</translation>
    </message>
</context>
<context>
    <name>mmv::ui::VideoModel</name>
    <message>
        <location filename="../ui/models/videomodel.cpp" line="76"/>
        <source>Not analysed</source>
        <translation>Nicht analysiert</translation>
    </message>
    <message>
        <location filename="../ui/models/videomodel.cpp" line="78"/>
        <source>Queued</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <location filename="../ui/models/videomodel.cpp" line="80"/>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <location filename="../ui/models/videomodel.cpp" line="82"/>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <location filename="../ui/models/videomodel.cpp" line="84"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/models/videomodel.cpp" line="86"/>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location filename="../ui/models/videomodel.cpp" line="106"/>
        <source>%1
ID: %2
Codec: %3, %4 fps</source>
        <translation>%1
ID: %2
Codec: %3, %4 fps</translation>
    </message>
    <message>
        <location filename="../ui/models/videomodel.cpp" line="131"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/models/videomodel.cpp" line="149"/>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <location filename="../ui/models/videomodel.cpp" line="151"/>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <location filename="../ui/models/videomodel.cpp" line="153"/>
        <source>Resolution</source>
        <translation>Auflösung</translation>
    </message>
    <message>
        <location filename="../ui/models/videomodel.cpp" line="155"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location filename="../ui/models/videomodel.cpp" line="157"/>
        <source>Analysis</source>
        <translation>Analyse</translation>
    </message>
    <message>
        <location filename="../ui/models/videomodel.cpp" line="159"/>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
</context>
<context>
    <name>mmv::ui::VideosView</name>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="82"/>
        <source>&amp;Add Videos…</source>
        <translation>Videos &amp;hinzufügen…</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="83"/>
        <source>&amp;Analyse</source>
        <translation>&amp;Analysieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="84"/>
        <source>&amp;Cancel Analysis</source>
        <translation>Analyse a&amp;bbrechen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="85"/>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="89"/>
        <source>&amp;Stop Adding</source>
        <translation>Hinzufügen &amp;stoppen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="105"/>
        <source>Add video files to the library (or drop them here)</source>
        <translation>Videodateien zur Bibliothek hinzufügen (oder hier ablegen)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="107"/>
        <source>Analyse the selected video: shots, keyframes, faces, people</source>
        <translation>Das ausgewählte Video analysieren: Einstellungen, Schlüsselbilder, Gesichter, Personen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="109"/>
        <source>Stop the running analysis of the selected video</source>
        <translation>Die laufende Analyse des ausgewählten Videos beenden</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="111"/>
        <source>Remove the selected video and its results</source>
        <translation>Das ausgewählte Video und seine Ergebnisse entfernen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="119"/>
        <source>Stop adding the files not in the library yet</source>
        <translation>Die Dateien, die noch nicht in der Bibliothek sind, nicht mehr hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="171"/>
        <source>Drop video files here to add them.</source>
        <translation>Videodateien hier ablegen, um sie hinzuzufügen.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="182"/>
        <source>Outline</source>
        <translation>Gliederung</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="192"/>
        <source>Results</source>
        <translation>Ergebnisse</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="251"/>
        <source>Adding %1 to the library… %2 %</source>
        <translation>%1 wird zur Bibliothek hinzugefügt … %2 %</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="276"/>
        <source>Not added, the server stopped: %1</source>
        <translation>Nicht hinzugefügt, der Server wurde beendet: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="333"/>
        <source>%1. %2 (%3 s – %4 s)</source>
        <translation>%1. %2 (%3 s – %4 s)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="395"/>
        <source>No video selected</source>
        <translation>Kein Video ausgewählt</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/videosview.cpp" line="408"/>
        <source>%n shot(s)</source>
        <translation>
            <numerusform>%n Einstellung</numerusform>
            <numerusform>%n Einstellungen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="417"/>
        <source>Add Videos</source>
        <translation>Videos hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="418"/>
        <source>Videos (*.mp4 *.mkv *.avi *.mov *.webm *.m4v);;All files (*)</source>
        <translation>Videos (*.mp4 *.mkv *.avi *.mov *.webm *.m4v);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="430"/>
        <source>Adding %1 to the library…</source>
        <translation>%1 wird zur Bibliothek hinzugefügt …</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="460"/>
        <source>Adding %1</source>
        <translation>%1 wird hinzugefügt</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/videosview.cpp" line="461"/>
        <source>Adding %n files</source>
        <translation>
            <numerusform>%n Datei wird hinzugefügt</numerusform>
            <numerusform>%n Dateien werden hinzugefügt</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="513"/>
        <source>Delete Video</source>
        <translation>Video löschen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/videosview.cpp" line="514"/>
        <source>Delete %1 and all its results?</source>
        <translation>%1 und alle Ergebnisse löschen?</translation>
    </message>
</context>
<context>
    <name>mmv::ui::ViewerLinkPanel</name>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="21"/>
        <source>Viewer link</source>
        <translation>Zuschauer-Link</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="24"/>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="32"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="25"/>
        <source>Open in Browser</source>
        <translation>Im Browser öffnen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="28"/>
        <source>Operator token:</source>
        <translation>Operator-Token:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="31"/>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="182"/>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="49"/>
        <source>&lt;b&gt;Authentication is disabled.&lt;/b&gt; Anyone who can reach this computer on the network has full operator rights. Use this only on a network you trust.</source>
        <translation>&lt;b&gt;Die Authentifizierung ist deaktiviert.&lt;/b&gt; Jeder, der diesen Computer im Netzwerk erreicht, hat volle Operator-Rechte. Verwenden Sie das nur in einem Netzwerk, dem Sie vertrauen.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="62"/>
        <source>Available while the server is listening</source>
        <translation>Verfügbar, solange der Server empfangsbereit ist</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="64"/>
        <source>Copy the viewer link to the clipboard</source>
        <translation>Zuschauer-Link in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="66"/>
        <source>Open the viewer link in the web browser</source>
        <translation>Zuschauer-Link im Webbrowser öffnen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="77"/>
        <source>Copy the operator token to the clipboard</source>
        <translation>Operator-Token in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="89"/>
        <source>Scan with a phone or tablet to open the viewer link</source>
        <translation>Mit einem Smartphone oder Tablet scannen, um den Zuschauer-Link zu öffnen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="110"/>
        <source>Viewers open this link to watch:</source>
        <translation>Zuschauer öffnen diesen Link:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="144"/>
        <source>No token is needed: authentication is disabled.</source>
        <translation>Kein Token nötig: Die Authentifizierung ist deaktiviert.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="146"/>
        <source>No viewer token is set.</source>
        <translation>Es ist kein Zuschauer-Token gesetzt.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="148"/>
        <source>The link includes the viewer token: share it only with people who may watch.</source>
        <translation>Der Link enthält das Zuschauer-Token: Geben Sie ihn nur an Personen weiter, die zuschauen dürfen.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="168"/>
        <source>Viewer link copied to the clipboard.</source>
        <translation>Zuschauer-Link in die Zwischenablage kopiert.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="182"/>
        <source>Hide</source>
        <translation>Verbergen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="183"/>
        <source>Hide the operator token</source>
        <translation>Operator-Token verbergen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="184"/>
        <source>Show the operator token</source>
        <translation>Operator-Token anzeigen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/viewerlinkpanel.cpp" line="192"/>
        <source>Operator token copied to the clipboard.</source>
        <translation>Operator-Token in die Zwischenablage kopiert.</translation>
    </message>
</context>
</TS>

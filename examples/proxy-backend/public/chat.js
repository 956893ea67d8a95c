// The chat page's script (browser). No token anywhere: the browser sends the `session` cookie on
// the WebSocket upgrade, and Switchboard's connect proxy asks the backend who that is.
/* global Centrifuge, URL, document, location */
const { switchboardUrl, channel } = JSON.parse(document.getElementById('config').textContent);
const $ = (id) => document.getElementById(id);
const status = $('status');
const messages = $('messages');
const errorLine = $('error');

// Cookies are per host name, not per port: the page and Switchboard must use the same one.
const wsHost = new URL(switchboardUrl).hostname;
if (wsHost !== location.hostname) {
  $('warning').hidden = false;
  $('warning').textContent = `This page is on ${location.hostname} but connects to ${wsHost}: the browser will not send`
    + ` the session cookie there. Open http://${wsHost}:${location.port}/ instead.`;
}

function setStatus(text, state) {
  status.textContent = text;
  status.className = `status ${state}`;
}

function showEmpty() {
  if (messages.children.length === 0) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = 'No messages yet. Say hello!';
    messages.append(li);
  }
}

/** One message as the publish proxy stamped it: { text, author, time }. */
function addMessage(data) {
  messages.querySelector('.empty')?.remove();
  const li = document.createElement('li');
  const time = document.createElement('time');
  time.dateTime = data.time;
  time.textContent = new Date(data.time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const author = document.createElement('span');
  author.className = 'author';
  author.textContent = data.author;
  li.append(time, author, document.createTextNode(data.text));
  messages.append(li);
  messages.scrollTop = messages.scrollHeight;
}

const client = new Centrifuge(switchboardUrl);
client.on('connecting', (ctx) => setStatus(ctx.code === 0 ? 'connecting…' : `reconnecting (${ctx.reason})`, 'connecting'));
client.on('connected', () => setStatus('connected', 'connected'));
client.on('disconnected', (ctx) => setStatus(`disconnected: ${ctx.code} ${ctx.reason}`, 'disconnected'));

const sub = client.newSubscription(channel);
sub.on('publication', (ctx) => addMessage(ctx.data));
sub.on('subscribed', async (ctx) => {
  if (ctx.wasRecovering) return; // a resubscription: missed messages arrive as publications
  messages.replaceChildren();
  try {
    const history = await sub.history({ limit: 30, reverse: true });
    for (const pub of history.publications.reverse()) addMessage(pub.data);
  } catch (e) {
    errorLine.textContent = `history: ${e.code} ${e.message}`;
  }
  showEmpty();
});
sub.on('unsubscribed', (ctx) => { if (ctx.code !== 0) errorLine.textContent = `unsubscribed: ${ctx.code} ${ctx.reason}`; });
sub.subscribe();
client.connect();

$('send').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('text');
  errorLine.textContent = '';
  try {
    await sub.publish({ text: input.value });
    input.value = '';
  } catch (e) {
    // The publish proxy's refusal, e.g. 400 "text must be 1 to 500 characters".
    errorLine.textContent = `refused: ${e.code} ${e.message}`;
  }
});

$('whoami').addEventListener('click', async () => {
  try {
    const { data } = await client.rpc('whoami', {});
    $('whoami-result').textContent = JSON.stringify(data);
  } catch (e) {
    $('whoami-result').textContent = `error ${e.code}: ${e.message}`;
  }
});

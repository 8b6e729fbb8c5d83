<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>FacetChips</name>
    <message>
        <source>head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>face</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>neutral space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>other hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handshape:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handshape %1 (%2 signs)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FacetPanel</name>
    <message>
        <source>No close match in this gallery; the closest are: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FavouriteButton</name>
    <message>
        <source>Favourite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove from favourites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to favourites</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FavouritesCombo</name>
    <message>
        <source>Favourites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your favourite signs: choose one to play it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>★ Favourites</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GalleryTableModel</name>
    <message>
        <source>Gloss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GalleryView</name>
    <message>
        <source>Loading the gallery in %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by gloss…</source>
        <extracomment>(text, button text, action): a message with one button for the window&apos;s banner (Undo)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by gloss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gallery entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add current recording…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;video file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;name…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an entry to play it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entry chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All languages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (read-only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n sign(s) in</source>
        <translation>
            <numerusform>%n sign in</numerusform>
            <numerusform>%n signs in</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · %2 · %3 frames at %4 fps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No gallery is open. Choose a gallery folder in File › Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a video file to the gallery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Videos (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New gloss:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Renamed to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restored %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a folder of sign videos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported %1, skipped %2 already present, %3 failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some files could not be imported, e.g. %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping the import after the current file…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GlossView</name>
    <message>
        <source>Type a sentence in Portuguese, e.g. Minha amiga detesta passear no shopping.</source>
        <extracomment>Examples shown per look-up. Draft signs per row of chips (a long sentence wraps instead of widening the view). What to look for in the gallery (the dictionary headword, without punctuation). the example&apos;s Portuguese sentence in the dictionary (&quot;&quot; when unknown) the draft gloss of the user&apos;s sentence, sign by sign</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Portuguese sentence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Look up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft gloss of your sentence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your sentence appears here in Libras glosses, sign by sign (a draft).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nearest dictionary examples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a gloss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Play the sign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sign plays here when the gallery has it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drafting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the draft tables…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A draft, sign by sign (word order and grammar are not checked). Click a sign for its dictionary entry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No sign could be drafted for this sentence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the text model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The dictionary&apos;s example sentences closest to yours appear here, best first, each written in Libras glosses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;small&gt;How glosses are written: &lt;b&gt;@&lt;/b&gt; either gender (AMIG@: amigo or amiga); &lt;b&gt;P-R-A-Ç-A&lt;/b&gt; spelled letter by letter; &lt;b&gt;3sENSINAR1s&lt;/b&gt; a verb whose numbers say who does it to whom (he/she teaches me); &lt;b&gt;^&lt;/b&gt; joins the parts of one sign; lower case describes a handshape (classifier).&lt;/small&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a sentence in Portuguese and press Enter to look it up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The %n dictionary example(s) closest to your sentence, best first. Click a gloss for its entry.</source>
        <translation>
            <numerusform>The %n dictionary example closest to your sentence, best first. Click a gloss for its entry.</numerusform>
            <numerusform>The %n dictionary examples closest to your sentence, best first. Click a gloss for its entry.</numerusform>
        </translation>
    </message>
    <message>
        <source>No dictionary example was found for this sentence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank and similarity to your sentence (1 is identical)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The gallery has this sign: click to see and play it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gloss %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The dictionary&apos;s Portuguese sentence for this example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No dictionary definition for this gloss.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Example: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the gallery: yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the gallery: no</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;Sign search</source>
        <extracomment>Every message shown since start (newest last); the banner shows the newest. everything that touches the gallery, in order (newest search wins) short independent jobs (analysis, match preparation, text model)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Gallery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>G&amp;loss look-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading pose model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading gallery…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open video…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add a video file to the gallery…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;How to use signlookup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About signlookup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How to use signlookup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Sign search&lt;/b&gt;: start the camera (or open a video file), press Record (R), sign once, press R again. The most similar dictionary signs appear below; click one to play it next to yours. Drag the shaded span in the hand-motion plot to trim your recording.&lt;br&gt;&lt;br&gt;&lt;b&gt;Gallery&lt;/b&gt;: the signs you search in. Add your recording or a video file, rename or delete entries (a deletion can be undone).&lt;br&gt;&lt;br&gt;&lt;b&gt;Gloss look-up&lt;/b&gt;: type a Portuguese sentence to see how the dictionary&apos;s closest example sentences are written in Libras glosses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About signlookup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;signlookup %1&lt;/b&gt;: a reverse dictionary for sign languages.&lt;br&gt;Sign into the camera or open a video to find the most similar signs.&lt;br&gt;&lt;br&gt;signlookup is MIT licensed. It uses Qt for Python %2 (LGPL-3.0), MediaPipe (Apache-2.0), faiss (MIT), PyTorch (BSD-3-Clause) and OpenCV (Apache-2.0).&lt;br&gt;The demo gallery&apos;s Libras clips come from the INES, UFV, V-Librasil and SignBank dictionaries, whose rights remain theirs; the text look-up uses the INES dictionary (see ATTRIBUTION.md in the installed resources).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 fps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No pose model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pose model: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Gallery: %n sign(s)</source>
        <translation>
            <numerusform>Gallery: %n sign</numerusform>
            <numerusform>Gallery: %n signs</numerusform>
        </translation>
    </message>
    <message>
        <source>No gallery</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageBanner</name>
    <message>
        <source>Dismiss message</source>
        <extracomment>The window fits a 1366x768 laptop screen with its panel (about 1366x720 usable). Longest the window waits for each group of workers when it closes. Start loading models and the gallery after this long even if the window never paints.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewSignDialog</name>
    <message>
        <source>Add the recording to the gallery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. CASA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Gloss (the sign&apos;s name):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlaybackBar</name>
    <message>
        <source>Pause</source>
        <extracomment>for a PlaybackBar&apos;s scrub slider: the frame shown, the clip&apos;s length in frames the frame shown, and the clip&apos;s length in frames (0: unknown), for the scrub slider</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause or play the clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause and show the next frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow motion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mirror</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the clip mirrored, to sign along with it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Position in the clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag to go to a moment of the clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchController</name>
    <message>
        <source>Reading %1…</source>
        <extracomment>A recording stops by itself after this many seconds. After a finite source ends, wait this long for the pose of its last frame. Look-ups kept in the history (only the newest keeps its replay images: memory). frames of an opened file analysed so far, and its length (0: unknown) the previous query and its results no longer apply (new recording, new file, failure) a query&apos;s replay images arrived after it (a file found in the pose cache) an opened file&apos;s extraction started (True) or ended, failed or was cancelled (False) the camera&apos;s signer: its look-ups adapt to their recent ones (signlookup.index.session)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the video was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Analysing the recording…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the gallery to load…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n result</numerusform>
            <numerusform>%n results</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchView</name>
    <message>
        <source>Camera</source>
        <extracomment>The user asked to add the current recording to the gallery.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start &amp;camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open video…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a video file (Ctrl+O), or drop one on this window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget how I sign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera look-ups are centred on your own signing (your build, camera and framing), learnt from your recent look-ups. Click to start over, e.g. when someone else signs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the camera or open a video file (you can also drop one here).
Then press Record (R) and sign.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your sign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Record (R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a 3-2-1 countdown and record; press again to stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to gallery…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop reading the opened video (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hand motion over time; drag the shaded span to trim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trim start (frame)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trim end (frame)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hand motion — trim from frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best matches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a result to play it here, next to your sign.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chosen match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Similarity of each result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Results appear here after a recording.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent look-ups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent look-ups: choose one to see it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Adapted to you: %n look-up(s) ✕</source>
        <translation>
            <numerusform>Adapted to you: %n look-up ✕</numerusform>
            <numerusform>Adapted to you: %n look-ups ✕</numerusform>
        </translation>
    </message>
    <message>
        <source>Reading the video: frame %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the video: frame %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● REC %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No camera found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a sign video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Videos (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● REC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>■ Stop (R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the whole video, then searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording… press R or Stop when you have finished the sign.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best match: %1. Click a result (or use the arrow keys) to play it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The gallery is empty: add signs in the Gallery tab.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No camera found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I sign with my left hand (mirror my signs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Camera:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Results shown:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Count&amp;down:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Gallery folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language (after restart):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gallery folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Splash</name>
    <message>
        <source>Loading models…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VideoView</name>
    <message>
        <source>left hand</source>
        <extracomment>Show the picture and skeleton left-right mirrored (to sign along with a clip).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>right hand</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>{0} is {1} s long; a query is one sign (most last 1-8 s): trim it to the sign, at most {2} s, and search again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The camera stopped sending pictures. Check the cable or close other apps using it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No camera was found. Connect a camera, or open a video file instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file could not be found: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This file could not be read as a video. Try an MP4, AVI or MOV file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No person was found in the video. Make sure your upper body is in view.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recording is too short. Sign for at least one second.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The pose model (MediaPipe) is missing from this installation, so signs cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The text model is missing from this installation, so glosses cannot be looked up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A model file of this installation is damaged or does not match: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The gallery could not be used: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The text is too long: type one sentence of at most {0} characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a sentence in Portuguese (words, not only symbols).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

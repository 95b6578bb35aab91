/** The landing page: one card per game, what it shows and how to open it. */

interface GameCard {
  name: string;
  title: string;
  /** One line: what the NPCs learn. */
  line: string;
  /** The SDK capability the game demonstrates. */
  shows: string[];
}

const GAMES: readonly GameCard[] = [
  {
    name: 'balance', title: 'Balance',
    line: 'Eight carts share one brain and learn to keep a pole upright on a Matter track.',
    shows: ['discrete actions', 'body-state sensors', '8 agents, one brain'],
  },
  {
    name: 'lander', title: 'Lander',
    line: 'Six crafts throttle two engines each to come to rest softly on the pad.',
    shows: ['continuous actions', 'shaped reward', 'fly it with the keyboard'],
  },
  {
    name: 'chase', title: 'Chase',
    line: 'A pack of four chasers hunts a runner (you, or a script) through an arena it sees only by rays.',
    shows: ['many NPCs, one brain', 'ray-cast sensors', 'action masking (dash cooldown)'],
  },
];

function card(g: GameCard): HTMLElement {
  const a = document.createElement('a');
  a.className = 'card';
  a.href = `./games/${g.name}/index.html`;
  a.dataset.testid = `game-${g.name}`;
  const h = document.createElement('h2');
  h.textContent = g.title;
  const p = document.createElement('p');
  p.textContent = g.line;
  const tags = document.createElement('ul');
  tags.className = 'tags';
  for (const s of g.shows) {
    const li = document.createElement('li');
    li.textContent = s;
    tags.append(li);
  }
  const cta = document.createElement('span');
  cta.className = 'cta';
  cta.textContent = 'Open: watch the shipped brain, train live or fast, or play →';
  a.append(h, p, tags, cta);
  return a;
}

document.getElementById('games')!.append(...GAMES.map(card));
